"""Server-rendered progress charts: coordinates for a small SVG line per domain (no JS)."""

WIDTH, HEIGHT, PAD = 280, 120, 18


def _y(score: int) -> float:
    return round(PAD + (5 - score) * (HEIGHT - 2 * PAD) / 4, 1)


def progress_charts(progress: list[dict]) -> list[dict]:
    """Add to each domain's series the points of its polyline and markers."""
    charts = []
    for series in progress:
        points = series["points"]
        n = len(points)
        step = (WIDTH - 2 * PAD) / (n - 1) if n > 1 else 0
        markers = [
            {
                "x": round(PAD + i * step if n > 1 else WIDTH / 2, 1),
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
