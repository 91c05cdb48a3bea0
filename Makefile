# Makefile - dsreg: build, tests, sanitizers, fuzzing, benchmarks, demo, install
#
# Quick start on a fresh Debian 12 machine, as root:  make demo ; make check
# Every module directory contributes its *.c files to libdsreg.a by wildcard;
# cli/*.c make the dsreg program; tests/unit/*.c make one Check runner.

PREFIX   ?= /usr/local
DESTDIR  ?=
BUILD    ?= build
CC       ?= gcc
PKG_CONFIG ?= pkg-config
FUZZ_SECONDS ?= 60
V        ?= 0
ifeq ($(V),0)
Q = @
endif

# The release: the one place it is written (dsreg --version, debian/changelog
# is checked against it by make deb).
VERSION  := $(shell cat VERSION)

PKGS     = libxml-2.0 openssl libcurl ldns sqlite3 jansson inih libidn2
WARN     = -Wall -Wextra -Wshadow -Wpointer-arith -Wstrict-prototypes \
           -Wmissing-prototypes -Wno-unused-parameter -Wno-format-truncation -Werror
CPPFLAGS += -I. -D_GNU_SOURCE
CFLAGS   ?= -O2 -g
CFLAGS   += -std=c11 $(WARN) -MMD -MP
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
CHECK_CFLAGS := $(shell $(PKG_CONFIG) --cflags check 2>/dev/null)
CHECK_LIBS   := $(shell $(PKG_CONFIG) --libs check 2>/dev/null)
LDLIBS   += $(PKG_LIBS) -lpthread -lm

ifeq ($(SAN),1)
CFLAGS   += -O1 -fsanitize=address,undefined -fno-omit-frame-pointer \
            -fno-sanitize-recover=all
LDFLAGS  += -fsanitize=address,undefined
endif

MODULES  = common ds dns epp tucows engine
LIB_SRC  = $(sort $(foreach m,$(MODULES),$(wildcard $(m)/*.c)))
CLI_SRC  = $(sort $(wildcard cli/*.c))
UNIT_SRC = $(sort $(wildcard tests/unit/*.c))
# Data compiled in: engine/tld-policy.conf becomes a C string (generated
# under $(BUILD), so make, make asan and the unit tests all carry it).
POLICY_DATA = engine/tld-policy.conf
POLICY_GEN  = $(BUILD)/gen/tld_policy.c
POLICY_OBJ  = $(BUILD)/obj/gen/tld_policy.o
LIB_OBJ  = $(LIB_SRC:%.c=$(BUILD)/obj/%.o) $(POLICY_OBJ)
CLI_OBJ  = $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
UNIT_OBJ = $(UNIT_SRC:%.c=$(BUILD)/obj/%.o)

LIB      = $(BUILD)/libdsreg.a
PROG     = $(BUILD)/dsreg
UNIT     = $(BUILD)/unit-tests

.PHONY: all deps check check-nodeps unit system asan fuzz bench bench-nodeps \
        demo demo-nodeps install uninstall clean lint-man deb

all: $(PROG)

# Install missing Debian packages (no-op when everything is there).
deps:
	@sh scripts/install-deps

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/obj/tests/unit/%.o: tests/unit/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CHECK_CFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/obj/cli/global.o: VERSION
$(BUILD)/obj/cli/global.o: CPPFLAGS += -DDSREG_VERSION='"$(VERSION)"'

$(POLICY_GEN): $(POLICY_DATA) Makefile
	@mkdir -p $(dir $@)
	@echo "  GEN     $@"
	$(Q){ echo '/* generated from $(POLICY_DATA) by the Makefile: do not edit */'; \
	  echo '#include "engine/policy.h"'; \
	  echo 'const char engine_policy_builtin_name[] = "$(POLICY_DATA)";'; \
	  echo 'const char engine_policy_builtin_text[] = ""'; \
	  sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/?/\\?/g' -e 's/^/"/' -e 's/$$/\\n"/' \
	    $(POLICY_DATA); \
	  echo ';'; } > $@.tmp && mv $@.tmp $@

$(POLICY_OBJ): $(POLICY_GEN)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS) -c -o $@ $<

$(LIB): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(PROG): $(CLI_OBJ) $(LIB)
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(LIB) $(LDLIBS)

# Unit tests also reach the CLI's own code (config, routing): all but main().
CLI_LIB_OBJ = $(filter-out $(BUILD)/obj/cli/main.o,$(CLI_OBJ))

$(UNIT): $(UNIT_OBJ) $(CLI_LIB_OBJ) $(LIB)
	$(CC) $(LDFLAGS) -o $@ $(UNIT_OBJ) $(CLI_LIB_OBJ) $(LIB) $(CHECK_LIBS) $(LDLIBS)

# make check: install what is missing, build, run every test (unit + system).
check: deps
	@$(MAKE) --no-print-directory check-nodeps

check-nodeps: $(PROG) $(UNIT)
	@BUILD=$(BUILD) sh tests/run-all

unit: $(UNIT)
	@BUILD=$(BUILD) $(UNIT)

system: $(PROG)
	@BUILD=$(BUILD) sh tests/run-all --system-only

# Address and undefined-behaviour sanitizers over all tests.
asan: deps
	@$(MAKE) --no-print-directory BUILD=build-asan SAN=1 check-nodeps

# libFuzzer targets (clang), each run for FUZZ_SECONDS.
fuzz: deps
	@FUZZ_SECONDS=$(FUZZ_SECONDS) sh tests/fuzz/run

# After deps, a fresh make: pkg-config flags are read once packages exist.
bench: deps
	@$(MAKE) --no-print-directory bench-nodeps

bench-nodeps: $(PROG)
	@BUILD=$(BUILD) sh tests/bench/run

demo: deps
	@$(MAKE) --no-print-directory demo-nodeps

demo-nodeps: $(PROG)
	@BUILD=$(BUILD) sh scripts/demo

lint-man:
	mandoc -Tlint -W warning docs/dsreg.1

install: $(PROG)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(PROG) $(DESTDIR)$(PREFIX)/bin/dsreg
	install -m 644 docs/dsreg.1 $(DESTDIR)$(PREFIX)/share/man/man1/dsreg.1

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/dsreg $(DESTDIR)$(PREFIX)/share/man/man1/dsreg.1

# The Debian package, built by dpkg-buildpackage from a copy of the source
# tree in $(BUILD)/deb/dsreg-VERSION (its own build/ there; this tree is
# left alone): $(BUILD)/deb/dsreg_VERSION_ARCH.deb.  DEB_BUILD_OPTIONS
# passes through (nocheck skips the unit tests).
DEB_DIR  = $(BUILD)/deb
DEB_SRC  = $(DEB_DIR)/dsreg-$(VERSION)
DEB_JOBS ?= 2

deb:
	@v=$$(dpkg-parsechangelog -S Version) && [ "$$v" = "$(VERSION)" ] || \
		{ echo "make deb: debian/changelog is at '$$v', VERSION at" \
		"'$(VERSION)': add a changelog entry (dch -v $(VERSION))" >&2; \
		exit 1; }
	rm -rf $(DEB_DIR)
	mkdir -p $(DEB_SRC)
	tar -cf - --exclude=./.git --exclude='./build*' \
		--exclude=./$(patsubst ./%,%,$(BUILD)) \
		--exclude=./debian/dsreg --exclude=./debian/.debhelper \
		--exclude=./debian/files --exclude='./debian/*.substvars' \
		--exclude=./debian/debhelper-build-stamp . | tar -xf - -C $(DEB_SRC)
	cd $(DEB_SRC) && dpkg-buildpackage -us -uc -b -j$(DEB_JOBS)
	@echo "make deb: $$(ls $(DEB_DIR)/*.deb)"

clean:
	rm -rf build build-asan build-fuzz

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(UNIT_OBJ:.o=.d)
