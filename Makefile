# Parley: one non-recursive GNU Makefile.
#   make            build build/parley (optimised) and the web UI (web/dist); B=DIR
#                   builds the binary into DIR instead
#   make run        install deps, build, init ./var on first run, serve on 127.0.0.1:8080
#   make test       install deps, build with ASan+UBSan, run every test
#   make asan       build the sanitizer binaries only
#   make format     clang-format every C file
#   make lint       cppcheck, banned functions, layer check

B       ?= build
CC      ?= cc
PKGS    := gmime-3.0 libetpan gnutls libcurl sqlite3 libpq libmicrohttpd jansson libsodium libical gumbo libcmark
WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wno-unused-parameter
BASEFL  := -std=c17 -D_GNU_SOURCE -Isrc $(WARN) -pthread
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CFLAGS  ?= -O2 -g
SANFL   := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer

SRC      := $(shell find src -name '*.c' | sort)
LIB_SRC  := $(filter-out src/main.c,$(SRC))
UNIT_SRC := $(shell find tests/unit -name '*.c' | sort)

OBJ      := $(SRC:%.c=$(B)/rel/%.o)
ASAN_OBJ := $(SRC:%.c=$(B)/asan/%.o)
ASAN_LIB := $(LIB_SRC:%.c=$(B)/asan/%.o)
UNIT_OBJ := $(UNIT_SRC:%.c=$(B)/asan/%.o)

all: $(B)/parley web/dist/index.html

$(B)/parley: $(OBJ)
	@echo "  LD      $@"
	@$(CC) $(CFLAGS) -pthread -o $@ $^ $(PKG_LIBS) -lm

$(B)/rel/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(BASEFL) $(PKG_CFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

$(B)/asan/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC-SAN  $<"
	@$(CC) $(BASEFL) $(PKG_CFLAGS) $(SANFL) -Itests/unit -MMD -MP -c -o $@ $<

$(B)/asan/parley: $(ASAN_OBJ)
	@echo "  LD-SAN  $@"
	@$(CC) $(SANFL) -pthread -o $@ $^ $(PKG_LIBS) -lm

$(B)/asan/unit: $(ASAN_LIB) $(UNIT_OBJ)
	@echo "  LD-SAN  $@"
	@$(CC) $(SANFL) -pthread -o $@ $^ $(PKG_LIBS) -lm

asan: $(B)/asan/parley $(B)/asan/unit

# The web UI (web/README.md): npm ci when the lockfile changes, a build when
# the sources do. Needs node and npm (scripts/deps.sh).
WEB_SRC := $(shell find web/src -type f 2>/dev/null)

web/node_modules/.package-lock.json: web/package.json web/package-lock.json
	@echo "  NPM     web (npm ci)"
	@cd web && npm ci --no-audit --no-fund --loglevel=error

web/dist/index.html: web/node_modules/.package-lock.json web/build.mjs $(WEB_SRC)
	@echo "  WEB     web/dist"
	@cd web && node build.mjs

deps:
	@scripts/deps.sh

run: deps
	@$(MAKE) --no-print-directory all
	@scripts/run.sh

test: deps
	@$(MAKE) --no-print-directory asan all
	@tests/run.sh

format:
	clang-format -i $(SRC) $(UNIT_SRC) $(shell find src tests/unit -name '*.h')

lint:
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability --std=c11 \
		--suppress=missingIncludeSystem --inline-suppr -Isrc src
	scripts/check-layers.sh

clean:
	rm -rf $(B) web/dist

.PHONY: all asan deps run test format lint clean

-include $(OBJ:.o=.d) $(ASAN_OBJ:.o=.d) $(UNIT_OBJ:.o=.d)
