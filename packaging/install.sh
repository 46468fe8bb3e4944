#!/bin/sh
# packaging/install.sh install|uninstall - called by `make install` and
# `make uninstall` (packaging/packaging.mk), which pass in the environment:
#   DESTDIR          staging root, prepended to every path (may be empty)
#   PKG_FILES        SOURCE:DESTINATION pairs, separated by blanks
#   PKG_OWN_DIRS     directories install creates even when nothing goes in
#   PKG_MANIFEST     where install records what it added (under DESTDIR)
#   PKG_DKMS_MODULE  lcg/VERSION, as dkms names the module
#   PKG_DKMS_SRC     where install puts the module's source
#
# install copies each file atomically (a temporary name in the same
# directory, then rename) and records every file and directory it created in
# the manifest; uninstall removes exactly those, so it works after `make
# clean` and never touches a file it did not add.  Install refuses to
# overwrite a file that an earlier install did not add, and a reinstall
# removes what the earlier one added and this one does not (an upgrade's
# leftovers).  Directories are removed only when empty: policies in
# /etc/lcg/ stay.
set -eu

prog=packaging/install.sh

die() {
	echo "$prog: $*" >&2
	exit 1
}

: "${DESTDIR=}" "${PKG_MANIFEST:?}" "${PKG_DKMS_MODULE:?}" "${PKG_DKMS_SRC:?}"
manifest=$DESTDIR$PKG_MANIFEST

# mkdir -p that records, in $created, each directory it had to create.
make_dir() {
	missing=
	d=$1
	while [ "$d" != / ] && [ ! -d "$DESTDIR$d" ]; do
		missing="$d $missing"
		d=$(dirname "$d")
	done
	for d in $missing; do
		mkdir -m 755 "$DESTDIR$d" || die "cannot create $DESTDIR$d"
		created="$created
dir $d"
	done
}

# Files the previous install added (empty on a first install).
previous_files() {
	[ -f "$manifest" ] && sed -n 's/^file //p' "$manifest" || true
}

# Before anything is copied: every source is there, and no destination
# belongs to someone else.
check_files() {
	for pair in $PKG_FILES; do
		src=${pair%%:*} dest=${pair#*:}
		[ -e "$src" ] || [ -L "$src" ] || die "$src is missing: run make first"
		if { [ -e "$DESTDIR$dest" ] || [ -L "$DESTDIR$dest" ]; } &&
		   ! printf '%s\n' "$previous" | grep -qxF "$dest"; then
			die "$DESTDIR$dest exists and lcg did not install it: move it away, or choose another PREFIX"
		fi
	done
}

copy_file() {
	src=$1 dest=$2
	make_dir "$(dirname "$dest")"
	tmp=$DESTDIR$(dirname "$dest")/.$(basename "$dest").lcg-tmp
	rm -f "$tmp"
	if [ -L "$src" ]; then
		# the llvm-ar links: point at the same absolute target
		ln -s "$(readlink -f "$src")" "$tmp"
	else
		cp "$src" "$tmp"
		case $src in
		*/bin/*) chmod 755 "$tmp" ;;
		*) chmod 644 "$tmp" ;;
		esac
	fi
	mv -f "$tmp" "$DESTDIR$dest" || die "cannot install $DESTDIR$dest"
	created="$created
file $dest"
}

# The manifest: what this install created, and the directories an earlier
# one created.  Also written when install fails half-way, so that uninstall
# can take back what was copied.
write_manifest() {
	make_dir "$(dirname "$PKG_MANIFEST")"
	if [ -f "$manifest" ]; then
		created="$(grep '^dir ' "$manifest" || true)
$created"
	fi
	printf '%s\n' "$created" | sed '/^$/d' | sort -u > "$manifest.tmp"
	mv -f "$manifest.tmp" "$manifest"
}

install_all() {
	created=
	[ -z "$DESTDIR" ] || mkdir -p "$DESTDIR" || die "cannot create DESTDIR $DESTDIR"
	previous=$(previous_files)
	check_files
	trap 'write_manifest; echo "$prog: install incomplete; make uninstall removes what it copied" >&2' EXIT
	for pair in $PKG_FILES; do
		copy_file "${pair%%:*}" "${pair#*:}"
	done
	for d in $PKG_OWN_DIRS; do
		make_dir "$d"
	done
	trap - EXIT
	printf '%s\n' "$previous" | while IFS= read -r f; do
		[ -n "$f" ] && ! printf '%s\n' "$created" | grep -qxF "file $f" || continue
		rm -f "$DESTDIR$f" && echo "$prog: removed $DESTDIR$f, which this version no longer installs"
	done
	write_manifest
	echo "installed lcg into ${DESTDIR:-/} ($(grep -c '^file ' "$manifest") files; list: $PKG_MANIFEST)"
}

# The module's source is about to go: dkms must forget it first, or its tree
# keeps a build it can no longer rebuild for the next kernel.  `dkms add DIR`
# copied a source outside /usr/src to /usr/src/lcg-VERSION: that copy goes
# too when it is still identical to ours.
forget_dkms_module() {
	[ -z "$DESTDIR" ] && command -v dkms > /dev/null || return 0
	if dkms status "$PKG_DKMS_MODULE" 2> /dev/null | grep -q .; then
		dkms remove "$PKG_DKMS_MODULE" --all ||
			die "dkms remove $PKG_DKMS_MODULE failed; run it by hand, then make uninstall again"
	fi
	copy=/usr/src/$(echo "$PKG_DKMS_MODULE" | tr / -)
	if [ "$copy" != "$PKG_DKMS_SRC" ] && [ -d "$copy" ] && diff -r -q "$copy" "$PKG_DKMS_SRC" > /dev/null 2>&1; then
		rm -r "$copy" && echo "$prog: removed $copy, the copy dkms add made"
	fi
}

uninstall_all() {
	[ -f "$manifest" ] || die "$manifest not found: nothing installed there (same PREFIX and DESTDIR as for make install?)"
	forget_dkms_module
	sed -n 's/^file //p' "$manifest" | while IFS= read -r f; do
		rm -f "$DESTDIR$f"
	done
	dirs=$(sed -n 's/^dir //p' "$manifest")
	rm -f "$manifest"
	# deepest first; only what install created, and only when empty
	printf '%s\n' "$dirs" | awk '{ print length, $0 }' | sort -rn | cut -d' ' -f2- |
	while IFS= read -r d; do
		[ -d "$DESTDIR$d" ] || continue
		rmdir "$DESTDIR$d" 2> /dev/null ||
			echo "$prog: kept $DESTDIR$d: it is not empty"
	done
	echo "uninstalled lcg from ${DESTDIR:-/}"
}

install_all_or_uninstall() {
	case $1 in
	install) install_all ;;
	uninstall) uninstall_all ;;
	*) die "usage: $prog install|uninstall" ;;
	esac
}

install_all_or_uninstall "${1:-}"
