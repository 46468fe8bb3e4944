# tests/install/: check-install, make install into a scratch DESTDIR.
check-install: $(TOOLS) $(MAN_PAGES) $(PKG_BUILD)/lcg-load.service
	tests/install/run

CHECK_TARGETS += check-install
