# The vulnerability-collection-platform filing portal.
#
#	make run	install what is missing, build, start MariaDB and Kore
#	make test	the same against a throwaway database, then all tests
#	make bench	throughput against a Kore hello-world, same machine
#	make cluster	three Galera nodes, two app hosts, nginx with TLS
#			(scripts/cluster.sh; root); make cluster-stop ends it
#	make test-cluster	the cluster's tests alone (also run by make test)

CC?=		cc
PKGS=		libmariadb jansson libargon2 openssl libxml-2.0 xmlsec1-openssl \
		libcurl zlib
FEATURES=	$(shell cat /usr/share/kore/features 2>/dev/null)
PKG_CFLAGS=	$(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS=	$(shell pkg-config --libs $(PKGS) 2>/dev/null)
# GMime (GLib) parses mailed-in tip-offs: vcpctl only, never the module.
GMIME_CFLAGS=	$(patsubst -I%,-isystem %,$(shell pkg-config --cflags \
		    gmime-3.0 2>/dev/null))
GMIME_LIBS=	$(shell pkg-config --libs gmime-3.0 2>/dev/null)

WARN=		-Wall -Wextra -Werror -Wshadow -Wpointer-arith \
		-Wmissing-prototypes -Wstrict-prototypes -Wformat=2
BASE_CFLAGS=	-std=c99 -D_GNU_SOURCE -Isrc $(WARN) $(PKG_CFLAGS) -pthread
OPT=		-O2 -g -fstack-protector-strong -D_FORTIFY_SOURCE=2
SAN=		-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
		-fno-sanitize-recover=undefined

# Every .c under src/ is compiled once per flavour into build/obj/ (or
# build/asan/obj/), with its header dependencies tracked, so make
# rebuilds only what a change touches.  Three kinds of file:
#
#  - those that speak Kore (include <kore/...>): the dispatcher
#    (src/http/api.c), the hooks (src/app.c), the pool's event-loop side;
#  - the rest of the HTTP layer, the handlers (*_http.c) and the route
#    table (src/routes.c): Kore-free, build/libvcp_http.a;
#  - everything else, the Kore-free library (domain rules, stores,
#    services, outbox, crypto): build/libvcp.a, linked as it is into the
#    module, vcpctl, vcpnotifyd and the unit tests.
#
# The module is all three.  The unit tests link both libraries, so a test
# can walk the real route table.
ALL_SRC=	$(sort $(wildcard src/*.c src/*/*.c))
MAIN_SRC=	src/cli/vcpctl.c src/cli/vcpnotifyd.c
MAIL_SRC=	src/tipoff/tipoff_mail.c
KORE_SRC=	$(shell grep -l '^\#include <kore/' $(ALL_SRC))
HTTP_SRC=	$(filter-out $(KORE_SRC),$(sort $(wildcard src/http/*.c \
		    src/*_http.c src/*/*_http.c) src/routes.c))
LIB_SRC=	$(filter-out $(KORE_SRC) $(HTTP_SRC) $(MAIN_SRC) $(MAIL_SRC),\
		    $(ALL_SRC))
UNIT_TESTS=	$(patsubst tests/unit/%.c,%,$(wildcard tests/unit/test_*.c))

obj=		$(patsubst src/%.c,$(1)/obj/%.o,$(2))

all: build/vcp.so build/vcpctl build/vcpnotifyd build/assets/manifest.json

asan: build/asan/vcp.so build/asan/vcpctl build/asan/vcpnotifyd \
	$(patsubst %,build/asan/unit/%,$(UNIT_TESTS))

# One set of rules per flavour: $(1) the build directory, $(2) the flags.
define flavour
$(1)/obj/%.o: src/%.c
	@mkdir -p $$(@D)
	$$(CC) $$(BASE_CFLAGS) $$(FEATURES) $(2) -fPIC -MMD -MP -c -o $$@ $$<

$(1)/libvcp.a: $(call obj,$(1),$(LIB_SRC))
	@rm -f $$@
	ar rcs $$@ $$^

$(1)/libvcp_http.a: $(call obj,$(1),$(HTTP_SRC))
	@rm -f $$@
	ar rcs $$@ $$^

$(1)/vcp.so: $(call obj,$(1),$(KORE_SRC) $(HTTP_SRC)) $(1)/libvcp.a
	$$(CC) $(2) -shared -o $$@ $(call obj,$(1),$(KORE_SRC) $(HTTP_SRC)) \
	    $(1)/libvcp.a $$(PKG_LIBS)

$(call obj,$(1),$(MAIL_SRC)): BASE_CFLAGS += $$(GMIME_CFLAGS)

$(1)/vcpctl: $(1)/obj/cli/vcpctl.o $(call obj,$(1),$(MAIL_SRC)) $(1)/libvcp.a
	$$(CC) $(2) -o $$@ $$^ $$(PKG_LIBS) $$(GMIME_LIBS)

$(1)/vcpnotifyd: $(1)/obj/cli/vcpnotifyd.o $(1)/libvcp.a
	$$(CC) $(2) -o $$@ $$^ $$(PKG_LIBS)

-include $(patsubst %.o,%.d,$(call obj,$(1),$(ALL_SRC)))
endef

$(eval $(call flavour,build,$(OPT)))
$(eval $(call flavour,build/asan,$(SAN)))

# The pages' static files: govuk-frontend, sass and esbuild from the npm
# registry at build time only (package-lock.json pins them); the module
# reads build/assets/ at start and nothing is fetched at run time.
ASSET_SRC=	$(shell find assets -type f 2>/dev/null) scripts/assets.mjs

node_modules/.stamp: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

build/assets/manifest.json: node_modules/.stamp $(ASSET_SRC)
	node scripts/assets.mjs

UNIT_LIBS=	build/asan/libvcp_http.a build/asan/libvcp.a

build/asan/unit/%: tests/unit/%.c $(UNIT_LIBS)
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(SAN) -MMD -MP -o $@ $< \
	    -Wl,--start-group $(UNIT_LIBS) -Wl,--end-group $(PKG_LIBS) -lcmocka

-include $(wildcard build/asan/unit/*.d)

deps:
	@sh scripts/deps.sh

run: deps
	@$(MAKE) --no-print-directory all
	@sh scripts/run.sh

test: deps
	@$(MAKE) --no-print-directory all asan
	@sh scripts/test.sh

# The production layout on this machine, under var/cluster.
CLUSTER_DIR?=	var/cluster
CLUSTER_PORT?=	18443

cluster: deps
	@$(MAKE) --no-print-directory all
	@sh scripts/cluster.sh start $(CLUSTER_DIR) $(CLUSTER_PORT)

cluster-stop:
	@sh scripts/cluster.sh stop $(CLUSTER_DIR)

test-cluster: deps
	@$(MAKE) --no-print-directory all
	@sh scripts/test-cluster.sh

bench: deps
	@$(MAKE) --no-print-directory all
	@sh scripts/bench.sh

lint:
	cppcheck --quiet --std=c99 --enable=warning,style,portability \
	    --inline-suppr --suppress=missingIncludeSystem \
	    --suppress=variableScope --suppress=syntaxError:src/app.c \
	    --suppress=unknownMacro -Isrc src

clean:
	rm -rf build node_modules

.PHONY: all asan deps run test test-cluster cluster cluster-stop bench \
	lint clean
