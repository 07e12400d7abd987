"""Server-rendered progress charts: coordinates for a small SVG line per domain (no JS).

Coordinates are machine-readable: they are handed to the template as strings with a decimal
point, so no locale (pl and ar write a decimal comma) can turn ``cx="140.0"`` into
``cx="140,0"`` and put every dot in the corner.
"""

WIDTH, HEIGHT, PAD = 280, 120, 18


def svg_number(value: float) -> str:
    """A coordinate as SVG reads it: decimal point, at most one decimal, never localised."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _y(score: int) -> str:
    return svg_number(PAD + (5 - score) * (HEIGHT - 2 * PAD) / 4)


def progress_charts(progress: list[dict]) -> list[dict]:
    """Add to each domain's series the points of its polyline and markers."""
    charts = []
    for series in progress:
        points = series["points"]
        n = len(points)
        step = (WIDTH - 2 * PAD) / (n - 1) if n > 1 else 0
        markers = [
            {
                "x": svg_number(PAD + i * step if n > 1 else WIDTH / 2),
                "y": _y(score),
                "score": score,
                "date": date,
            }
            for i, (date, score) in enumerate(points)
        ]
        first, last = (points[0][1], points[-1][1]) if points else (None, None)
        charts.append(
            {
                **series,
                "markers": markers,
                "polyline": " ".join(f"{m['x']},{m['y']}" for m in markers),
                "change": (last - first) if points else None,
                "latest": last,
            }
        )
    return charts


GRID = [{"score": s, "y": _y(s)} for s in range(1, 6)]
