# Debian packages some tests use, installed from Debian's archive when missing (and only as root, where
# the kernel tests run anyway); apt keeps them outside the clone. Without them those tests skip with one
# line, or fail under CI=true.
#   iptables: the kube-proxy coexistence test writes kube-proxy's DNAT rules into a test namespace.
test_packages=(iptables)

need_packages() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "weir: tests needing ${missing[*]} will skip (install needs root and apt-get)" >&2
    return 0
  fi
  echo "weir: installing ${missing[*]} from Debian for the tests..." >&2
  local apt=(env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 -y -q --no-install-recommends)
  "${apt[@]}" install "${missing[@]}" >/dev/null 2>&1 \
    || { "${apt[@]}" update >/dev/null 2>&1 && "${apt[@]}" install "${missing[@]}" >/dev/null 2>&1; } \
    || echo "weir: could not install ${missing[*]}; the tests needing them will say so" >&2
}
