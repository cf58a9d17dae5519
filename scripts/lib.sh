# Shared helpers for the project's scripts. Source it; do not run it.

# repo_root prints the project's top directory.
repo_root() { cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd; }

# npm_tool NAME PACKAGE@VERSION installs an npm package into .tools/NAME
# (skipped when that exact version is already there) and prints its bin dir.
npm_tool() {
  local name=$1 pkg=$2 root dir want
  root=$(repo_root)
  dir="$root/.tools/$name"
  want=${pkg##*@}
  if [ ! -f "$dir/.installed-$want" ]; then
    echo "installing $pkg into .tools/$name" >&2
    rm -rf "$dir"
    mkdir -p "$dir"
    npm install --prefix "$dir" --no-audit --no-fund --loglevel=error "$pkg" >&2
    touch "$dir/.installed-$want"
  fi
  echo "$dir/node_modules/.bin"
}

# copy_tree SRC DST copies the project's files (not .git or installed tools).
copy_tree() {
  tar --exclude=./.git --exclude=./.tools --exclude=./node_modules -C "$1" -cf - . | tar -C "$2" -xf -
}
