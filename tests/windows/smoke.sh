#!/usr/bin/env bash
# The Windows smoke test, run by `./x test` under Xvfb in a fresh Wine prefix:
#
#   tests/windows/smoke.sh INSTALLER WINEPREFIX
#
# The installer installs silently for this user (no administrator); the command line starts,
# keeps an encrypted desk in %LOCALAPPDATA%\hoso\data and takes a file from a folder with a
# Vietnamese name; the window's executable loads with every DLL it imports and, as this Wine has
# no WebView2 runtime, says so and exits 3; the uninstaller removes the program, its shortcuts and
# its "Apps & features" entry, and keeps the data.
set -euo pipefail

installer="$1"
prefix="$2"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

fail() {
  echo "windows smoke test: $*" >&2
  exit 1
}
step() { printf '  - %s\n' "$*" >&2; }
# The answer of a Windows program, without the carriage returns.
run() { wine "$@" | tr -d '\r'; }

wineboot -i >/dev/null 2>&1
wineserver -w
# Wine 8 lacks ProcessPrng, which Rust's standard library calls at start: the test's stand-in.
x86_64-w64-mingw32-gcc -shared -O2 -o "$prefix/drive_c/windows/system32/bcryptprimitives.dll" \
  "$here/bcryptprimitives.c" -ladvapi32

home="$prefix/drive_c/users/${USER:-$(id -un)}"
local_data="$home/AppData/Local"
programs="$local_data/Programs/hoso"
uninstall_key='HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\vn.hoso.desk'

step "silent install for this user"
wine "$installer" /S
wineserver -w
for file in hoso-desktop.exe hoso.exe WebView2Loader.dll uninstall.exe; do
  [ -f "$programs/$file" ] || fail "$file is not in $programs"
done
[ -f "$home/Desktop/Hồ Sơ Số.lnk" ] || fail "no desktop shortcut"
[ -f "$home/AppData/Roaming/Microsoft/Windows/Start Menu/Programs/Hồ Sơ Số.lnk" ] ||
  fail "no Start-menu shortcut"
run reg query "$uninstall_key" /v DisplayVersion | grep -q "0\.1\.0" ||
  fail "no Apps & features entry"

step "the command line starts"
version="$(run "$programs/hoso.exe" --version)"
[ "$version" = "hoso 0.1.0" ] || fail "hoso --version said: $version"

step "an encrypted desk in %LOCALAPPDATA%, a dossier, a page from and a PDF to C:\\Hồ sơ quét"
export HOSO_USER=admin HOSO_PASSWORD="mật khẩu thử nghiệm"
run "$programs/hoso.exe" init --admin admin --unit-code H25.123 \
  --unit-name "Trung tâm Phục vụ hành chính công xã Thạch Hà" >/dev/null
dossier="$(run "$programs/hoso.exe" intake --procedure 2.000815 --applicant "Nguyễn Văn Đức" \
  --id-number 042095001234 --json)"
code="$(printf '%s' "$dossier" | python3 -c 'import json, sys; print(json.load(sys.stdin)["code"])')"
mkdir -p "$prefix/drive_c/Hồ sơ quét"
cp "$root/icons/icon.png" "$prefix/drive_c/Hồ sơ quét/trang một.png"
attached="$(run "$programs/hoso.exe" attach "$code" --component 1 'C:\Hồ sơ quét\trang một.png' --json |
  python3 -c 'import json, sys; print(len(json.load(sys.stdin)))')"
[ "$attached" = 1 ] || fail "the page did not reach dossier $code"
run "$programs/hoso.exe" export "$code" --out 'C:\Hồ sơ quét\hồ sơ.pdf' >/dev/null
head -c 5 "$prefix/drive_c/Hồ sơ quét/hồ sơ.pdf" | grep -q '%PDF-' || fail "no archive PDF"
database="$local_data/hoso/data/hoso.db"
[ -f "$database" ] || fail "no database in %LOCALAPPDATA%\\hoso\\data"
if grep -qa "Nguyễn Văn Đức\|042095001234" "$database"; then
  fail "the applicant is readable in the database file"
fi

step "the window's executable loads and says the WebView2 runtime is missing"
set +e
check="$(run "$programs/hoso-desktop.exe" --check)"
status=$?
set -e
[ "$status" -eq 3 ] || fail "hoso-desktop --check exited $status: $check"
printf '%s' "$check" | grep -q "WebView2 Runtime" || fail "hoso-desktop --check said: $check"
printf '%s' "$check" | grep -q "chưa có Microsoft Edge WebView2" || fail "no Vietnamese message: $check"

step "silent uninstall keeps the data"
wine "$programs/uninstall.exe" /S
wineserver -w
# The uninstaller runs from a copy in the temporary folder and may finish a moment later.
for _ in $(seq 1 30); do
  [ -e "$programs/hoso.exe" ] || break
  sleep 1
done
[ ! -e "$programs/hoso.exe" ] || fail "hoso.exe is still installed"
[ ! -e "$home/Desktop/Hồ Sơ Số.lnk" ] || fail "the desktop shortcut is still there"
if run reg query "$uninstall_key" >/dev/null 2>&1; then
  fail "the Apps & features entry is still there"
fi
[ -f "$database" ] || fail "the uninstaller removed the officer's data"
echo "windows smoke test: passed" >&2
