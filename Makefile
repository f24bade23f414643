# The vulnerability-collection-platform filing portal.
#
#	make run	install what is missing, build, start MariaDB and Kore
#	make test	the same against a throwaway database, then all tests
#	make bench	throughput against a Kore hello-world, same machine

CC?=		cc
PKGS=		libmariadb jansson libargon2 openssl libxml-2.0 xmlsec1-openssl \
		libcurl
FEATURES=	$(shell cat /usr/share/kore/features 2>/dev/null)
PKG_CFLAGS=	$(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS=	$(shell pkg-config --libs $(PKGS) 2>/dev/null)

WARN=		-Wall -Wextra -Werror -Wshadow -Wpointer-arith \
		-Wmissing-prototypes -Wstrict-prototypes -Wformat=2
BASE_CFLAGS=	-std=c99 -D_GNU_SOURCE -Isrc $(WARN) $(PKG_CFLAGS) -pthread
OPT=		-O2 -g -fstack-protector-strong -D_FORTIFY_SOURCE=2
SAN=		-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
		-fno-sanitize-recover=undefined

# Pure code: no Kore, no HTTP.  Shared by the module, vcpctl and tests.
DOMAIN_SRC=	$(wildcard src/domain/*.c)
# Kore-free code with SQL: shared by the module and vcpctl.
CORE_SRC=	src/config.c src/db/db.c src/db/db_json.c src/crypto/crypto.c \
		src/crypto/keyfile.c \
		src/crypto/password.c src/crypto/seal.c src/crypto/sign.c \
		src/audit/audit.c src/audit/audit_checkpoint.c \
		src/notify/notify_checkpoint.c src/xml/xml_check.c \
		src/account/account_store.c src/calendar/calendar_store.c \
		src/filing/filing_store.c src/filing/registry_store.c \
		src/filing/attachment_store.c src/filing/change_store.c \
		src/notify/notify_store.c \
		$(DOMAIN_SRC)
# The Kore module.
MODULE_SRC=	$(CORE_SRC) src/app.c src/watchdog.c src/db/pool.c src/http/api.c \
		src/http/routes.c src/http/health.c src/http/idempotency.c \
		src/account/account_http.c src/calendar/calendar_http.c \
		src/calendar/calendar_cache.c src/filing/filing_http.c \
		src/filing/registry_http.c src/filing/attachment_http.c \
		src/filing/change_http.c src/filing/registry_export.c \
		src/notify/notify.c src/notify/notify_payload.c \
		src/notify/notify_http.c
CLI_SRC=	$(CORE_SRC) src/cli/vcpctl.c
UNIT_TESTS=	$(patsubst tests/unit/%.c,%,$(wildcard tests/unit/test_*.c))

NOTIFYD_SRC=	src/config.c src/domain/netaddr.c src/domain/delivery.c \
		src/domain/validate.c \
		src/db/db.c src/db/db_json.c \
		src/crypto/crypto.c src/crypto/keyfile.c src/crypto/seal.c \
		src/crypto/sign.c src/audit/audit.c src/audit/audit_checkpoint.c \
		src/notify/notify_checkpoint.c src/xml/xml_check.c \
		src/notify/notify_store.c src/notify/vcpnotifyd.c

all: build/vcp.so build/vcpctl build/vcpnotifyd

asan: build/asan/vcp.so build/asan/vcpctl build/asan/vcpnotifyd \
	$(patsubst %,build/asan/unit/%,$(UNIT_TESTS))

build/vcp.so: $(MODULE_SRC) $(wildcard src/*/*.h src/*.h)
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(FEATURES) $(OPT) -fPIC -shared \
	    -o $@ $(MODULE_SRC) $(PKG_LIBS)

build/vcpctl: $(CLI_SRC) $(wildcard src/*/*.h src/*.h)
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(OPT) -o $@ $(CLI_SRC) $(PKG_LIBS)

build/vcpnotifyd: $(NOTIFYD_SRC) $(wildcard src/*/*.h src/*.h)
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(OPT) -o $@ $(NOTIFYD_SRC) $(PKG_LIBS)

build/asan/vcpnotifyd: $(NOTIFYD_SRC) $(wildcard src/*/*.h src/*.h)
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(SAN) -o $@ $(NOTIFYD_SRC) $(PKG_LIBS)

build/asan/vcp.so: $(MODULE_SRC) $(wildcard src/*/*.h src/*.h)
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(FEATURES) $(SAN) -fPIC -shared \
	    -o $@ $(MODULE_SRC) $(PKG_LIBS)

build/asan/vcpctl: $(CLI_SRC) $(wildcard src/*/*.h src/*.h)
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(SAN) -o $@ $(CLI_SRC) $(PKG_LIBS)

build/asan/unit/%: tests/unit/%.c $(DOMAIN_SRC) src/crypto/crypto.c \
    src/crypto/keyfile.c $(wildcard src/*/*.h)
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(SAN) -o $@ $< $(DOMAIN_SRC) \
	    src/crypto/crypto.c src/crypto/keyfile.c $(PKG_LIBS) -lcmocka

deps:
	@sh scripts/deps.sh

run: deps
	@$(MAKE) --no-print-directory all
	@sh scripts/run.sh

test: deps
	@$(MAKE) --no-print-directory all asan
	@sh scripts/test.sh

bench: deps
	@$(MAKE) --no-print-directory all
	@sh scripts/bench.sh

lint:
	cppcheck --quiet --std=c99 --enable=warning,style,portability \
	    --inline-suppr --suppress=missingIncludeSystem \
	    --suppress=variableScope --suppress=syntaxError:src/app.c \
	    --suppress=unknownMacro -Isrc src

clean:
	rm -rf build

.PHONY: all asan deps run test bench lint clean
