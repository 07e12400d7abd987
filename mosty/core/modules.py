"""The app configuration every Mosty module shares.

A module declares its name, its verbose name, the submodules that register themselves on import
(`loads`: pack sections, signal handlers) and whether its `gdpr.py` adds a section to the GDPR
registry (`gdpr_section`: its `register()` runs; mosty/people/gdpr.py). Import this module, not
the class (`class CasesConfig(modules.ModuleConfig)`): Django picks an app's configuration among
the classes its `apps.py` holds, and a second one there would hide the module's own.
"""

from importlib import import_module

from django.apps import AppConfig


class ModuleConfig(AppConfig):
    loads: tuple[str, ...] = ()
    gdpr_section = False

    def ready(self) -> None:
        for name in self.loads:
            import_module(f"{self.name}.{name}")
        if self.gdpr_section:
            import_module(f"{self.name}.gdpr").register()
