#!/bin/sh
# Install the system packages the integration and e2e tests need. Idempotent: safe to run
# again; does nothing when everything is already there. Needs root (or sudo) and apt.
set -eu

export DEBIAN_FRONTEND=noninteractive

if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi

APT_UPDATED=""

apt_update_once() {
    if [ -z "$APT_UPDATED" ]; then
        $SUDO apt-get update -q
        APT_UPDATED=1
    fi
}

# apt-get install without letting maintainer scripts start services: there is no init
# system in containers/CI, and the tests start their own servers anyway.
apt_install() {
    apt_update_once
    policy=/usr/sbin/policy-rc.d
    had_policy=""
    if [ -e "$policy" ]; then had_policy=1; fi
    if [ -z "$had_policy" ]; then
        printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null
        $SUDO chmod 755 "$policy"
    fi
    status=0
    $SUDO apt-get install -y -q --no-install-recommends "$@" || status=$?
    if [ -z "$had_policy" ]; then $SUDO rm -f "$policy"; fi
    return "$status"
}

install_dovecot() {
    if command -v dovecot >/dev/null 2>&1 && command -v doveadm >/dev/null 2>&1; then
        return 0
    fi
    apt_install dovecot-core dovecot-imapd
}

install_browser() {
    # The e2e tests drive Debian's Chromium through Playwright (executable_path); Playwright
    # never downloads a browser of its own. A font, so pages and screenshots have text.
    if [ ! -x /usr/bin/chromium ]; then
        apt_install chromium fonts-dejavu-core
    fi
}

install_dovecot
install_browser
