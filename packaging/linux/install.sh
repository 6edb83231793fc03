#!/bin/sh
# Install this unpacked jitstudio bundle with its menu entry and icons.
#   ./install.sh                       for this user, under ~/.local
#   PREFIX=/usr/local ./install.sh     for everyone (as root)
#   ./install.sh --uninstall           remove what it installed under PREFIX
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
PREFIX=${PREFIX:-$HOME/.local}
APP_ID=dev.jitstudio.JitStudio
LIB="$PREFIX/lib/jitstudio"
SHARE="$PREFIX/share"

refresh() {
    command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$SHARE/applications" || true
    command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$SHARE/icons/hicolor" || true
}

if [ "${1:-}" = "--uninstall" ]; then
    rm -rf "$LIB"
    [ -L "$PREFIX/bin/jitstudio" ] && rm -f "$PREFIX/bin/jitstudio"
    rm -f "$SHARE/applications/$APP_ID.desktop" "$SHARE/metainfo/$APP_ID.metainfo.xml"
    find "$SHARE/icons/hicolor" -name "$APP_ID.*" -delete 2>/dev/null || true
    refresh
    echo "jitstudio removed from $PREFIX"
    exit 0
fi

mkdir -p "$LIB" "$PREFIX/bin" "$SHARE/applications" "$SHARE/metainfo"
rm -rf "$LIB/jitstudio" "$LIB/_internal"
cp -a "$HERE/jitstudio" "$HERE/_internal" "$LIB/"
ln -sfn "$LIB/jitstudio" "$PREFIX/bin/jitstudio"
sed -e "s|^Exec=jitstudio|Exec=$LIB/jitstudio|" -e "s|^TryExec=jitstudio|TryExec=$LIB/jitstudio|" \
    "$HERE/share/applications/$APP_ID.desktop" > "$SHARE/applications/$APP_ID.desktop"
cp "$HERE/share/metainfo/$APP_ID.metainfo.xml" "$SHARE/metainfo/"
cp -R "$HERE/share/icons" "$SHARE/"
refresh
echo "jitstudio installed in $LIB; run it from the menu or as $PREFIX/bin/jitstudio"
