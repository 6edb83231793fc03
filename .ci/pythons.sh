# The newest Python the machine offers next to python3: python3.13 or python3.12 on PATH, else pyenv's.
newest_python() {
  local version candidate
  for version in 3.13 3.12; do
    for candidate in "$(command -v "python$version" 2>/dev/null)" "${PYENV_ROOT:-$HOME/.pyenv}"/versions/"$version"*/bin/"python$version"; do
      [ -n "$candidate" ] && [ -x "$candidate" ] && "$candidate" -c 'import venv' >/dev/null 2>&1 && { echo "$candidate"; return; }
    done
  done
  return 1
}

# A virtual environment with the test extra in $1, made by the Python $2; the log in $1.log.
make_test_venv() {
  "$2" -m venv "$1" && "$1/bin/python" -m pip install -q -e ".[test]"
}
