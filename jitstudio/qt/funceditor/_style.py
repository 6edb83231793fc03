"""The look of the function editor (palette roles keep it right in light and dark themes)."""

STYLE = """
QFrame#funcToolbar { background: palette(base); border-bottom: 1px solid palette(midlight); }
QLabel#funcTitle { font-weight: 600; font-size: 10.5pt; }
QLabel#dirtyMark { color: palette(link-visited); font-weight: 600; }
QFrame#syncBanner { background: #fff1f0; border: 1px solid #f3b7b3; border-radius: 6px; margin: 8px 10px 0 10px; }
QFrame#syncBanner QLabel { color: #86181d; }
QFrame#diskBanner { background: #fff8e1; border: 1px solid #e3c46b; border-radius: 6px; margin: 8px 10px 0 10px; }
QFrame#diskBanner QLabel { color: #3b2f00; }
QWidget#cardCanvas { background: palette(window); }
QFrame#card { background: palette(base); border: 1px solid palette(midlight); border-radius: 7px; }
QFrame#card:hover { border: 1px solid palette(mid); }
QFrame#card[selected="true"] { border: 1px solid #2f6fdf; background: palette(base); }
QFrame#card[hasIssues="true"] { border: 1px solid #e5a29e; }
QFrame#card[selected="true"][hasIssues="true"] { border: 1px solid #2f6fdf; }
QFrame#branch { background: transparent; border: none; border-top: 1px dashed palette(midlight); }
QFrame#branch[selected="true"] { background: rgba(47, 111, 223, 18); border-radius: 5px; }
QFrame#card QPlainTextEdit { background: palette(base); border: 1px solid palette(mid); border-radius: 2px; }
QFrame#card QPlainTextEdit:disabled { background: palette(window); color: palette(placeholder-text); }
QLabel#cardTitle { font-weight: 600; }
QLabel#dragHandle { color: palette(placeholder-text); font-size: 12pt; }
QLabel#fieldCaption { color: palette(placeholder-text); }
QToolButton#modeToggle { color: palette(placeholder-text); border: 1px solid palette(mid); border-radius: 4px;
    font-size: 8pt; padding: 0; }
QToolButton#modeToggle:hover { color: palette(link); border-color: palette(link); background: rgba(47, 111, 223, 18); }
QToolButton#modeToggle[target="expression"] { font-family: serif; font-style: italic; font-size: 10pt; }
QLabel#fieldIssue, QLabel#cardIssue { color: palette(bright-text); font-size: 8.5pt; }
QLabel#issueBadge { color: palette(bright-text); font-weight: 600; padding: 0 4px; }
QFrame#dropMarker { background: #2f6fdf; border-radius: 1px; }
QWidget#palette { background: palette(base); }
QWidget#palette QTreeWidget { border: none; background: palette(base); }
QWidget#palette QTreeWidget::item { padding: 3px 2px; }
QLabel#paletteTitle { font-weight: 600; padding: 2px 2px 0 2px; }
QLabel#codeStatus { color: palette(placeholder-text); padding: 2px 8px; }
"""
