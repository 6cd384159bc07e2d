# Sourced by bin/weir: finds a JDK >= 25 so nobody has to export JAVA_HOME by hand.
# Order: $JAVA_HOME, the java on PATH, then the usual install folders.

weir_java_major() { # prints the feature version of the JDK at $1 (a JAVA_HOME), or nothing
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

weir_find_jdk() {
  local candidates=() c major
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v javac >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
  fi
  for c in /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/*; do
    [ -d "$c" ] && candidates+=("$c")
  done
  for c in "${candidates[@]}"; do
    major=$(weir_java_major "$c")
    if [ -n "$major" ] && [ "$major" -ge 25 ]; then
      printf '%s\n' "$c"
      return 0
    fi
  done
  return 1
}

if ! WEIR_JDK=$(weir_find_jdk); then
  echo "weir: needs a JDK 25 or newer (for example Temurin 25); install one or set JAVA_HOME to it." >&2
  exit 1
fi
export JAVA_HOME="$WEIR_JDK"
