"""Qt's side of the languages: Qt's own translations for standard dialogs, the layout direction,
and the fonts Arabic and Chinese need.

Qt ships `qtbase_<ll>.qm` inside PySide6 (QLibraryInfo TranslationsPath): installing it translates
the buttons of QMessageBox, QFileDialog, QDialogButtonBox and the context menus of line edits.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, Qt, QTranslator
from PySide6.QtGui import QFontDatabase, QFontInfo
from PySide6.QtWidgets import QApplication

from i18n import is_rtl, language

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
# Qt's catalog names for our six languages.
QT_CATALOG = {"ar": "ar", "zh": "zh_CN", "en": "en", "fr": "fr", "ru": "ru", "es": "es"}
# Locales for Qt's own formatting in widgets (QDateEdit, QSpinBox): Arabic with Western digits.
QT_LOCALE = {"ar": "ar_001", "zh": "zh_CN", "en": "en_US", "fr": "fr_FR", "ru": "ru_RU", "es": "es_ES"}
# System font files for scripts the default UI font may lack (Debian: fonts-noto-core, fonts-wqy-microhei).
SYSTEM_FONTS = (
    "/usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf",
    "/usr/share/fonts/truetype/noto/NotoSansArabic-Bold.ttf",
    "/usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
)
FALLBACK_FAMILIES = ("Noto Sans Arabic", "WenQuanYi Micro Hei", "Noto Naskh Arabic")

_translators: list[QTranslator] = []
_fonts_loaded = False


def install_qt_translations(code: str, app: QCoreApplication | None = None) -> bool:
    """Replace Qt's installed translators by the ones for `code`; True if a catalog was found."""
    language(code)
    app = app or QCoreApplication.instance()
    if app is None:
        return False
    for old in _translators:
        app.removeTranslator(old)
    _translators.clear()
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    found = False
    if code != "en":
        translator = QTranslator(app)
        if translator.load(f"qtbase_{QT_CATALOG[code]}", folder):
            app.installTranslator(translator)
            _translators.append(translator)
            found = True
    QLocale.setDefault(QLocale(QT_LOCALE[code]))
    return found or code == "en"


def apply_direction(code: str, app: QApplication | None = None) -> None:
    app = app or QApplication.instance()
    if app is not None:
        app.setLayoutDirection(Qt.LayoutDirection.RightToLeft if is_rtl(code) else Qt.LayoutDirection.LeftToRight)


def load_fonts() -> list[str]:
    """Register the fonts for Arabic and Chinese with Qt (once); returns the families added.

    Fonts in i18n/fonts/ (TTF/OTF/TTC, shipped for the PDFs) come first, then the system files."""
    global _fonts_loaded
    if _fonts_loaded:
        return []
    families: list[str] = []
    candidates: list[Path] = []
    if FONTS_DIR.is_dir():
        candidates += sorted(p for p in FONTS_DIR.iterdir() if p.suffix.lower() in (".ttf", ".otf", ".ttc"))
    candidates += [Path(p) for p in SYSTEM_FONTS if Path(p).is_file()]
    for path in candidates:
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id >= 0:
            families += QFontDatabase.applicationFontFamilies(font_id)
    _fonts_loaded = True
    return families


def apply_fallback_fonts(app: QApplication | None = None) -> None:
    """Keep the platform's UI font for Latin and Cyrillic, and tell Qt where to find Arabic and
    Chinese glyphs when that font lacks them (so no empty boxes)."""
    app = app or QApplication.instance()
    if app is None:
        return
    font = app.font()
    available = set(QFontDatabase.families())
    extra = [family for family in FALLBACK_FAMILIES if family in available]
    if extra:
        latin = latin_ui_family(app, available)
        families = [latin] + [f for f in extra if f != latin]
        font.setFamilies(families)
        app.setFont(font)


# Latin and Cyrillic text in a Latin UI font: a generic family ("Sans Serif" on a bare Linux) may otherwise
# resolve to the Chinese or Arabic fallback, which draws "…" as "⋯" and clips descenders.
LATIN_FAMILIES = ("Segoe UI", "Noto Sans", "DejaVu Sans", "Liberation Sans", "Cantarell", "Helvetica Neue", "Arial")


def latin_ui_family(app: QApplication, available: set[str] | None = None) -> str:
    """The family the interface's Latin and Cyrillic text is drawn in: the platform's own UI font when
    it is a Latin one, else the first Latin font here (Noto Sans ships in i18n/fonts)."""
    resolved = QFontInfo(app.font()).family()
    if resolved and resolved not in FALLBACK_FAMILIES and resolved not in _CJK_OR_ARABIC:
        return resolved
    available = available if available is not None else set(QFontDatabase.families())
    return next((family for family in LATIN_FAMILIES if family in available), resolved)


_CJK_OR_ARABIC = frozenset({"Droid Sans Fallback", "Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Kufi Arabic",
                            "AR PL UMing CN", "WenQuanYi Zen Hei"})


def apply_language(code: str, app: QApplication | None = None) -> None:
    """Everything Qt needs when the language changes: its translator, the locale and the direction."""
    install_qt_translations(code, app)
    if code in ("ar", "zh") and not _fonts_loaded:
        load_fonts()
        apply_fallback_fonts(app)
    apply_direction(code, app)
