#!/usr/bin/env bash
# Proves the README's two commands on a brand-new minimal Debian: debootstrap a
# release into a scratch folder, copy this working tree in, and run the commands
# exactly as README.md writes them, as root with CI=true or as a sudo user.
# With --build-only it proves instead that the build needs only the build
# tools: it installs the [build] packages alone, builds the ISO, and runs the
# suite, where every test whose tool is missing must SKIP naming its package.
# With --slow, after the two commands it also runs the slow suite there.
# Usage (as root): tools/debian-chroot.sh RELEASE [--user] [--keep] [--dir DIR]
#                  [--mirror URL] [--timeout MINUTES] [--slow] [--build-only [--compare-iso ISO]]
set -euo pipefail

usage() {
    cat <<EOF
usage: $0 RELEASE [options]       (as root; RELEASE e.g. trixie, bookworm)
  --user             run the commands as a normal user with password-less sudo
                     (default: as root with CI=true, as .ci/run does)
  --keep             keep the scratch folder (the system and the logs)
  --dir DIR          make the scratch folder in DIR (default: \${TMPDIR:-/tmp})
  --mirror URL       Debian mirror for debootstrap (default: debootstrap's own)
  --timeout MINUTES  limit for command 1 to reach the greeting (default: 20)
  --build-only       instead of the README's commands: install only the [build]
                     packages (tools/install-deps.sh --build-only), set up, build
                     the ISO and run meson test; no test may fail, and each
                     skipped one must name what it needs and its package
  --compare-iso ISO  with --build-only: the ISO built must be byte for byte ISO
                     (one built from the same commit with everything installed)
  --slow             after the README's commands, configure -Dslow_tests=true
                     and run the slow suite in the same build folder, as CI does
EOF
    exit 2
}

release='' as_user=false keep=false parent=${TMPDIR:-/tmp} mirror='' timeout_min=20 build_only=false compare_iso='' slow=false

while [ $# -gt 0 ]; do
    case $1 in
    --user) as_user=true ;;
    --keep) keep=true ;;
    --dir) parent=${2:?--dir needs a folder}; shift ;;
    --mirror) mirror=${2:?--mirror needs a URL}; shift ;;
    --timeout) timeout_min=${2:?--timeout needs minutes}; shift ;;
    --build-only) build_only=true ;;
    --slow) slow=true ;;
    --compare-iso) compare_iso=$(realpath "${2:?--compare-iso needs an ISO}"); shift ;;
    -*) usage ;;
    *) [ -z "$release" ] || usage; release=$1 ;;
    esac
    shift
done
[ -n "$release" ] || usage
[ -z "$compare_iso" ] || $build_only || usage
if $slow && $build_only; then usage; fi

say() { printf '[%s] debian-chroot: %s\n' "$(date +%T)" "$*"; }
die() { say "FAILED: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "needs root (debootstrap, mount, chroot)"

repo=$(cd "$(dirname "$0")/.." && pwd)
# The README's two commands: the command lines of the first fenced block under
# '## Two commands' (blank lines and '#' comments skipped).
mapfile -t commands < <(awk '/^## Two commands/ { s = 1 }
    s && /^```/ { if (f) exit; f = 1; next }
    f && NF && !/^#/' "$repo/README.md")
[ ${#commands[@]} -eq 2 ] || die "expected 2 command lines under '## Two commands' in README.md, found ${#commands[@]}"
# What command 1 must show: the kernel's greeting, as src/kernel/main.cpp spells it.
greeting=$(python3 "$repo/tools/greeting.py")

if $as_user; then user=tester home=/home/tester env_prefix=''; else user=root home=/root env_prefix='export CI=true; '; fi
for tool in debootstrap tmux; do
    command -v "$tool" >/dev/null || { say "installing $tool on the host"; apt-get install -y -q "$tool" >/dev/null; }
done

work=$(mktemp -d "$parent/mink-$release.XXXXXX")
root=$work/root tmux_socket=mink-chroot-$$ result=FAIL
declare -A took=()

# The processes whose root is the chroot: everything this script started in it.
chroot_pids() {
    local proc
    for proc in /proc/[0-9]*; do
        [ "$(readlink "$proc/root" 2>/dev/null)" != "$root" ] || echo "${proc#/proc/}"
    done
}
mounts_under_root() { findmnt -rn -o TARGET | awk -v r="$root/" 'index($0, r) == 1' | sort -r; }

cleanup() {
    local status=$? mount pids
    set +e
    # A second Ctrl-C, or a reader of our output gone, must not stop the clean-up;
    # and it reports on the script's own output, not on a step's log it may
    # interrupt (fds 3 and 4, saved below).
    trap '' INT TERM HUP PIPE
    exec >&3 2>&4
    tmux -L "$tmux_socket" kill-server 2>/dev/null
    pids=$(chroot_pids)
    # shellcheck disable=SC2086 # one pid per word
    [ -z "$pids" ] || { kill $pids; sleep 2; pids=$(chroot_pids); [ -z "$pids" ] || kill -9 $pids; sleep 1; }
    for mount in $(mounts_under_root); do umount "$mount" 2>/dev/null || umount -l "$mount"; done
    if $build_only; then
        say "summary: $release as $user, build tools only: $result; debootstrap ${took[debootstrap]:--} s," \
            "packages ${took[packages]:--} s, setup ${took[setup]:--} s, ISO ${took[iso]:--} s," \
            "meson test ${took[test]:--} s, total $SECONDS s"
    else
        say "summary: $release as $user: $result; debootstrap ${took[debootstrap]:--} s," \
            "packages ${took[packages]:--} s, command 1 to the greeting ${took[command1]:--} s, command 2 ${took[command2]:--} s, total $SECONDS s"
    fi
    if [ -n "$(mounts_under_root)" ]; then
        say "mounts are left under $root, so it is not removed:" >&2; mounts_under_root >&2; status=1
    elif $keep; then
        say "kept $work"
    else
        rm -rf --one-file-system "$work"
    fi
    exit "$status"
}
exec 3>&1 4>&2
trap cleanup EXIT
trap 'result=INTERRUPTED; exit 130' INT TERM HUP

# Runs a command (after its step name) and records how many seconds it took.
timed() {
    local step=$1 start=$SECONDS status=0
    shift
    "$@" || status=$?
    took[$step]=$((SECONDS - start))
    return $status
}

# 1. A brand-new minimal system.
say "debootstrap $release into $root"
timed debootstrap debootstrap --variant=minbase --include=git,ca-certificates,sudo "$release" "$root" \
    ${mirror:+"$mirror"} >"$work/debootstrap.log" 2>&1 ||
    { tail -n 20 "$work/debootstrap.log" >&2; die "debootstrap $release"; }
chmod 755 "$root"

# 2. What a running system provides. /dev is a private copy of the host's, so
# the tmpfs on its /dev/shm (faketime needs one, mode 1777) stays in here.
mount --rbind /dev "$root/dev"
mount --make-rslave "$root/dev"
mount -t tmpfs -o mode=1777 shm "$root/dev/shm"
mount -t proc proc "$root/proc"
mount -t sysfs sysfs "$root/sys"
mount -t tmpfs -o mode=1777 tmp "$root/tmp"
cp /etc/hosts /etc/resolv.conf "$root/etc/"
# Packages must not start daemons inside the chroot: they would outlive it.
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod 755 "$root/usr/sbin/policy-rc.d"
if $as_user; then
    chroot "$root" useradd --create-home --shell /bin/bash "$user"
    echo "$user ALL=(ALL) NOPASSWD: ALL" >"$root/etc/sudoers.d/$user"
    chmod 440 "$root/etc/sudoers.d/$user"
fi

# 3. A clone of this repository carrying the working tree as it is: tracked
# files with their uncommitted changes, and untracked files git does not ignore.
tree=$root$home/mink
git -c safe.directory='*' clone -q --depth 1 "file://$repo" "$tree"
git -C "$repo" ls-files -d -z | (cd "$tree" && xargs -0r rm -f --)
git -C "$repo" ls-files -co --exclude-standard -z |
    tar -C "$repo" --null --files-from=- --ignore-failed-read -cf - 2>/dev/null | tar -C "$tree" -xf -
chroot "$root" chown -R "$user:" "$home/mink"
say "copied $repo into $home/mink ($user)"

# Runs a README command in the chroot, in a fresh login shell of $user (more
# options for su may follow the command).
in_chroot() { chroot "$root" su -l "$user" "${@:2}" -c "$env_prefix cd ~/mink && $1"; }

# 4'. --build-only: the build tools alone build the ISO, and meson test skips,
# with reasons, what needs the rest.
if $build_only; then
    steps=(packages 'tools/install-deps.sh --build-only' setup 'meson setup build --cross-file cross/x86_64-elf.ini'
           iso 'meson compile -C build iso' test 'meson test -C build')
    for ((i = 0; i < ${#steps[@]}; i += 2)); do
        say "build-only: ${steps[i + 1]}"
        timed "${steps[i]}" in_chroot "${steps[i + 1]}" </dev/null >"$work/${steps[i]}.log" 2>&1 ||
            { tail -n 40 "$work/${steps[i]}.log" >&2; die "build-only: '${steps[i + 1]}' failed"; }
    done
    say "meson setup's summary of the optional tools:"
    sed -n '/^  Optional/,/^$/p' "$work/setup.log"
    tail -n 8 "$work/test.log"
    # Every test ran or skipped, and each skip says what it needs and how to install it.
    testlog=$tree/build/meson-logs/testlog.json
    python3 - "$testlog" <<'PYTHON' || die "build-only: a test failed, or skipped naming no package"
import collections, json, re, sys
tests = [json.loads(line) for line in open(sys.argv[1])]
results = collections.Counter(t["result"] for t in tests)
print("meson test:", ", ".join(f"{n} {r}" for r, n in sorted(results.items())), f"of {len(tests)}")
reason = re.compile(r"skipped: needs .+ \(sudo apt-get install [^)]+\)")
unexplained = []
for t in tests:
    if t["result"] == "SKIP":
        said = reason.search(t.get("stdout") or "")
        print(f"  SKIP {t['name']}: {said.group(0) if said else '(no reason given)'}")
        unexplained += [] if said else [t["name"]]
failed = [t["name"] for t in tests if t["result"] not in ("OK", "SKIP")]
for name in failed:
    print(f"  {name}: FAILED")
sys.exit(1 if failed or unexplained or not results["SKIP"] else 0)
PYTHON
    cp "$tree/build/mink.iso" "$work/mink.iso"
    say "ISO: $(sha256sum "$work/mink.iso" | cut -d' ' -f1)  ($(stat -c %s "$work/mink.iso") bytes)"
    if [ -n "$compare_iso" ]; then
        cmp "$work/mink.iso" "$compare_iso" || die "the ISO differs from $compare_iso"
        say "the ISO is byte for byte $compare_iso"
    fi
    result=PASS
    exit 0
fi

# 4. Command 1 in a terminal (tmux), since it ends by showing QEMU's screen
# there. su gives the login its own terminal (--pty), as a person logged in has:
# 'su -c' to a normal user would start a session with none, and QEMU would then
# get no keyboard (run.sh takes it from /dev/tty, since Meson passes /dev/null).
tmux=(tmux -L "$tmux_socket" -f /dev/null)
pane() { "${tmux[@]}" capture-pane -p -t mink "$@"; }
say "command 1: ${commands[0]}"
"${tmux[@]}" start-server \; set -g history-limit 100000 \; set -g remain-on-exit on \; \
    new-session -d -s mink -x 100 -y 30 bash -c "$(declare -f in_chroot); $(declare -p root user env_prefix);
        in_chroot \"\$1\" --pty; echo \$? >\"\$2\"" _ "${commands[0]}" "$work/command-1.status"
start=$SECONDS deadline=$((SECONDS + timeout_min * 60)) next_report=$((SECONDS + 60))
# (Matched in bash, not with grep -q, whose early exit would fail the pipeline.)
until [[ $(pane) == *"$greeting"* ]]; do
    [[ -n ${took[packages]:-} || $(pane -S -) != *'The Meson build system'* ]] || took[packages]=$((SECONDS - start))
    if [ -e "$work/command-1.status" ] || [ $SECONDS -ge $deadline ]; then
        { pane -S - -J | grep -v -e '^$' -e '^Pane is dead' | tail -n 40 >&2; } || true
        [ -e "$work/command-1.status" ] && die "command 1 ended with status $(cat "$work/command-1.status") before $greeting"
        die "command 1 showed no $greeting within $timeout_min min"
    fi
    if [ $SECONDS -ge $next_report ]; then
        say "command 1, $((SECONDS - start)) s: $(pane | grep -v '^ *$' | tail -n 1)"
        next_report=$((next_report + 60))
    fi
    sleep 2
done
took[command1]=$((SECONDS - start))
pane >"$work/screen.txt"
say "$greeting after ${took[command1]} s; QEMU's screen:"
grep -v '^ *$' "$work/screen.txt"

# Quit as a person would: Alt-2 (what Esc then 2 must arrive as) opens QEMU's
# monitor; there, quit.
"${tmux[@]}" send-keys -t mink M-2
for _ in $(seq 20); do [[ $(pane) != *'(qemu)'* ]] || break; sleep 0.5; done
[[ $(pane) == *'(qemu)'* ]] || { pane >&2; die "Alt-2 did not open QEMU's monitor"; }
"${tmux[@]}" send-keys -t mink quit Enter
for _ in $(seq 30); do [ ! -e "$work/command-1.status" ] || break; sleep 1; done
[ "$(cat "$work/command-1.status" 2>/dev/null)" = 0 ] || { pane -S - | tail -n 40 >&2; die "QEMU did not quit, or command 1 failed"; }
[[ $(chroot_pids | xargs -r -I{} cat /proc/{}/comm 2>/dev/null) != *qemu* ]] || die "a QEMU process is still running"
say "QEMU quit (monitor: quit); command 1 exited 0"

# Which tests failed in a meson test run's output ($1), and each one's own log
# from Meson's testlog.txt.
show_failures() {
    grep -E '^ *[0-9]+/[0-9]+ .* (FAIL|TIMEOUT|ERROR) ' "$1" >&2 || true
    awk '/^=+ [0-9]+\/[0-9]+ =+$/ { if (keep) printf "%s", block; block = ""; keep = 0 }
         { block = block $0 "\n" }
         /^result: +(exit status [1-9]|killed|timed out)/ { keep = 1 }
         END { if (keep) printf "%s", block }' "$tree/build/meson-logs/testlog.txt" | tail -n 150 >&2
}

# 5. Command 2, with its exit status passed through.
say "command 2: ${commands[1]}"
status=0
timed command2 in_chroot "${commands[1]}" </dev/null >"$work/command-2.log" 2>&1 || status=$?
tail -n 25 "$work/command-2.log"
if [ $status -ne 0 ]; then
    show_failures "$work/command-2.log"
    say "FAILED: command 2 exited with status $status (keep everything with --keep)" >&2
    exit $status
fi

# 6. --slow: the slow suite, in command 2's build folder.
if $slow; then
    say "slow suite: meson configure build -Dslow_tests=true; meson test -C build --suite slow"
    timed slow in_chroot 'meson configure build -Dslow_tests=true && meson test -C build --suite slow --print-errorlogs' \
        </dev/null >"$work/slow.log" 2>&1 || status=$?
    tail -n 12 "$work/slow.log"
    if [ $status -ne 0 ]; then
        show_failures "$work/slow.log"
        say "FAILED: the slow suite exited with status $status after ${took[slow]} s" >&2
        exit $status
    fi
    say "slow suite passed in ${took[slow]} s"
fi
result=PASS
