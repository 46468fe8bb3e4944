# packaging/: make install / uninstall, man pages (scdoc), the systemd unit,
# the DKMS source tree, and the tests of the installed layout (check-install).
#
# Layout (PREFIX=/usr/local by default; DESTDIR is prepended to everything):
#   $(BINDIR)            lcg-cc, lcg-analyze, lcg-trace (+ llvm-ar, llvm-ranlib
#                        links: CMake looks for them next to the compiler)
#   $(SBINDIR)           lcg-load, lcg-status (root: they drive configfs)
#   $(PREFIX)/lib/lcg/   lcg-plugin.so, libc-model.txt, installed-files; lcg-cc
#                        finds the plugin at ../lib/lcg/ from its own directory,
#                        so BINDIR must stay $(PREFIX)/bin
#   $(MANDIR)/man{1,7,8} gzip'ed roff rendered from packaging/man/*.scd
#   $(SYSCONFDIR)/lcg/   policies (created empty, kept by uninstall if not empty)
#   $(UNITDIR)           lcg-load.service: Debian's /lib/systemd/system for
#                        PREFIX=/usr, else $(PREFIX)/lib/systemd/system (which
#                        systemd also searches for /usr/local)
#   $(DKMSDIR)           the module's source for dkms (kbuild tree + dkms.conf)

PREFIX ?= /usr/local
BINDIR := $(PREFIX)/bin
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
DOCDIR ?= $(PREFIX)/share/doc/lcg
SYSCONFDIR ?= /etc
ifeq ($(PREFIX),/usr)
UNITDIR ?= /lib/systemd/system
else
UNITDIR ?= $(PREFIX)/lib/systemd/system
endif
# The module's version is the package's: kernel/lcg.h defines it once.
LCG_VERSION := $(or $(shell sed -n 's/^\#define LCG_MODULE_VERSION "\(.*\)"/\1/p' kernel/lcg.h 2>/dev/null),0)
DKMSDIR ?= $(PREFIX)/src/lcg-$(LCG_VERSION)

PKG_BUILD := $(BUILD)/packaging
MAN_SRCS := $(wildcard packaging/man/*.scd)
# lcg-cc.1.scd -> build/packaging/man/lcg-cc.1.gz
MAN_PAGES := $(MAN_SRCS:packaging/man/%.scd=$(PKG_BUILD)/man/%.gz)

# The same edits for every generated text: paths and version of this install.
PKG_SUBST := sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@BINDIR@|$(BINDIR)|g' \
	-e 's|@SBINDIR@|$(SBINDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' \
	-e 's|@DKMSDIR@|$(DKMSDIR)|g' -e 's|@UNITDIR@|$(UNITDIR)|g' \
	-e 's|@VERSION@|$(LCG_VERSION)|g'

# Generated files depend on the install paths, which can change between runs.
PKG_PATHS_STAMP := $(PKG_BUILD)/paths
PKG_PATHS := $(PREFIX) $(SBINDIR) $(MANDIR) $(SYSCONFDIR) $(UNITDIR) $(DKMSDIR) $(LCG_VERSION)
$(PKG_PATHS_STAMP): pkg-paths
	@mkdir -p $(@D)
	@echo '$(PKG_PATHS)' | cmp -s - $@ || echo '$(PKG_PATHS)' > $@

$(PKG_BUILD)/man/%.gz: packaging/man/%.scd $(PKG_PATHS_STAMP)
	@mkdir -p $(@D)
	@command -v scdoc > /dev/null || { echo "scdoc not found: install it (make deps)"; exit 1; }
	$(PKG_SUBST) $< | scdoc > $(@:.gz=.tmp)
	gzip -9 -n -c $(@:.gz=.tmp) > $@.tmp && mv $@.tmp $@ && rm -f $(@:.gz=.tmp)

$(PKG_BUILD)/lcg-load.service: packaging/lcg-load.service.in $(PKG_PATHS_STAMP)
	@mkdir -p $(@D)
	$(PKG_SUBST) $< > $@.tmp && mv $@.tmp $@

$(PKG_BUILD)/dkms.conf: packaging/dkms.conf.in $(PKG_PATHS_STAMP)
	@mkdir -p $(@D)
	$(PKG_SUBST) $< > $@.tmp && mv $@.tmp $@

.PHONY: man install uninstall check-install pkg-paths
man: $(MAN_PAGES)
all: $(MAN_PAGES)

# What install.sh copies, as SOURCE:DESTINATION pairs (DESTINATION without
# DESTDIR).  Tools come from $(TOOLS) so a part that is not built is not
# claimed; the module's files from kernel/kernel.mk's lists.
PKG_USER_TOOLS := $(filter $(addprefix $(BIN)/,lcg-cc lcg-analyze lcg-trace llvm-ar llvm-ranlib),$(TOOLS))
PKG_ADMIN_TOOLS := $(filter $(addprefix $(BIN)/,lcg-load lcg-status),$(TOOLS))
PKG_MODULE_FILES := $(foreach f,$(KERNEL_SRCS),$(f):$(DKMSDIR)/$(f:kernel/%=%)) \
	$(foreach f,$(KERNEL_SHARED),$(f):$(DKMSDIR)/$(f))
PKG_FILES := \
	$(foreach f,$(PKG_USER_TOOLS),$(f):$(BINDIR)/$(notdir $(f))) \
	$(foreach f,$(PKG_ADMIN_TOOLS),$(f):$(SBINDIR)/$(notdir $(f))) \
	$(filter $(BUILD)/lib/lcg-plugin.so,$(TOOLS)):$(PREFIX)/lib/lcg/lcg-plugin.so \
	analysis/libc-model.txt:$(PREFIX)/lib/lcg/libc-model.txt \
	$(foreach m,$(MAN_PAGES),$(m):$(MANDIR)/man$(subst .,,$(suffix $(basename $(m))))/$(notdir $(m))) \
	$(PKG_BUILD)/lcg-load.service:$(UNITDIR)/lcg-load.service \
	docs/user-guide.md:$(DOCDIR)/user-guide.md \
	$(if $(PKG_MODULE_FILES),$(PKG_MODULE_FILES) \
		$(PKG_BUILD)/dkms.conf:$(DKMSDIR)/dkms.conf packaging/dkms-Makefile:$(DKMSDIR)/Makefile)
# Directories that belong to lcg alone: uninstall removes them when empty.
PKG_OWN_DIRS := $(PREFIX)/lib/lcg $(DOCDIR) $(SYSCONFDIR)/lcg \
	$(if $(PKG_MODULE_FILES),$(DKMSDIR)/pda $(DKMSDIR))

PKG_INSTALL_ENV := DESTDIR='$(DESTDIR)' PKG_FILES='$(PKG_FILES)' \
	PKG_OWN_DIRS='$(PKG_OWN_DIRS)' PKG_MANIFEST='$(PREFIX)/lib/lcg/installed-files' \
	PKG_DKMS_MODULE='lcg/$(LCG_VERSION)' PKG_DKMS_SRC='$(DKMSDIR)'

install: $(TOOLS) $(MAN_PAGES) $(PKG_BUILD)/lcg-load.service \
		$(if $(PKG_MODULE_FILES),$(PKG_BUILD)/dkms.conf)
	$(PKG_INSTALL_ENV) packaging/install.sh install

uninstall:
	$(PKG_INSTALL_ENV) packaging/install.sh uninstall
