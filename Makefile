# SPDX-License-Identifier: GPL-2.0-only
#
# vserver: security contexts for Linux.  "make help" lists the targets.

B := $(CURDIR)/build
SHELL := /bin/bash

# The selftest harness and the kernel's own headers come from the tree
# that scripts/kernel.sh prepares.
SELFTESTS := $(B)/linux/tools/testing/selftests
VM_TEST_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Wno-unused-parameter -Werror -static -D_GNU_SOURCE \
	-I$(SELFTESTS) -I$(CURDIR)/kernel/include/uapi
VM_TESTS := $(patsubst tests/vm/%.c,$(B)/tests-vm/%,$(wildcard tests/vm/*_test.c))
# vcall makes raw calls for the BATS suites; run-all does not run it
VM_TESTS += $(B)/tests-vm/vcall
FUZZERS := $(patsubst tests/fuzz/%.c,$(B)/fuzz/%,$(wildcard tests/fuzz/*.c))
FUZZ_SECONDS ?= 1800

.PHONY: all help deps user unit host-tests kernel lint tree vm-tests run check fuzz patch clean distclean

all: user kernel

help:
	@echo "make run        build what is missing, boot the patched kernel in QEMU"
	@echo "                (a shell on a terminal, else a demo; CMD='...' runs one"
	@echo "                command, SHARE=dir copies dir into the guest as /share)"
	@echo "make check      run every test; the last line counts them"
	@echo "make fuzz       fuzz sys_vserver in the VM for FUZZ_SECONDS (default"
	@echo "                1800), then check the kernel log and kmemleak"
	@echo "make kernel     build the patched kernel (incremental)"
	@echo "make user       build libvserver and the tools, plain and with sanitizers"
	@echo "make lint       W=1, sparse and checkpatch --strict on the kernel side"
	@echo "make patch      write build/patches/: a git-am series and one diff"
	@echo "make clean      remove build outputs but keep the kernel tree and objects"
	@echo "make distclean  remove build/"

deps:
	@scripts/deps.sh

user: deps
	@$(MAKE) -s -C util-vserver O=$(B)/user
	@$(MAKE) -s -C util-vserver O=$(B)/user-asan SANITIZE=1

unit: user
	@$(MAKE) -s -C tests/unit O=$(B)/user check
	@$(MAKE) -s -C tests/unit O=$(B)/user-asan SANITIZE=1 check

# The suites of the tools run with both builds; those of the build
# scripts, which run no tool, once.
HOST_SCRIPT_SUITES := tests/host/020-build-scripts.bats
HOST_TOOL_SUITES := $(filter-out $(HOST_SCRIPT_SUITES),$(sort $(wildcard tests/host/*.bats)))

host-tests: user
	@VCTX=$(B)/user/bin/vctx bats --tap $(HOST_TOOL_SUITES) $(HOST_SCRIPT_SUITES)
	@VCTX=$(B)/user-asan/bin/vctx bats --tap $(HOST_TOOL_SUITES)

kernel: deps
	@scripts/kernel.sh build

tree: deps
	@scripts/kernel.sh tree

lint: deps
	@scripts/kernel.sh lint

vm-tests: tree $(VM_TESTS) $(FUZZERS)

$(B)/tests-vm/%: tests/vm/%.c tests/vm/common.h kernel/include/uapi/linux/vserver.h
	@mkdir -p $(@D)
	$(CC) $(VM_TEST_CFLAGS) -pthread -o $@ $<

$(B)/fuzz/%: tests/fuzz/%.c $(wildcard tests/fuzz/*.h) kernel/include/uapi/linux/vserver.h
	@mkdir -p $(@D)
	$(CC) $(VM_TEST_CFLAGS) -pthread -o $@ $<

run: kernel user vm-tests
	@if [ -n "$(CMD)" ]; then \
		SHARE="$(SHARE)" scripts/vm.sh cmd "$(CMD)"; \
	elif [ -t 0 ] && [ -t 1 ]; then \
		SHARE="$(SHARE)" scripts/vm.sh shell; \
	else \
		SHARE="$(SHARE)" scripts/vm.sh demo; \
	fi

check:
	@scripts/check.sh

# The guest runs every fuzzer for the budget, then the kmemleak check;
# vm.sh fails the run on any splat in the kernel log.
fuzz: kernel user vm-tests
	@VM_TIMEOUT=$$(($(FUZZ_SECONDS) * 2 + 600)) scripts/vm.sh cmd \
		'cd /opt/vserver/tests && ./kmemleak start && rc=0 && \
		for f in fuzz/*; do $$f --seconds $(FUZZ_SECONDS) || rc=1; done && \
		./kmemleak check && exit $$rc'

patch: deps
	@scripts/patch.sh

clean:
	rm -rf $(B)/user $(B)/user-asan $(B)/tests-vm $(B)/fuzz $(B)/vm $(B)/vm-* $(B)/check $(B)/guest $(B)/patches

distclean:
	rm -rf $(B)
