# SPDX-License-Identifier: GPL-2.0-or-later
#
# Build settings shared by lib/, util-vserver/ and tests/unit/.  Each of
# those Makefiles includes this file; nothing here builds anything.
#
#   O=DIR       output directory (absolute or relative to the make directory);
#               default: build/user at the top of the tree
#   SANITIZE=1  build with AddressSanitizer and UndefinedBehaviorSanitizer
#   CFLAGS, CPPFLAGS, LDFLAGS are appended to the project's own flags.

VS_TOP := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))..)

O ?= $(VS_TOP)/build/user
override O := $(abspath $(O))
SANITIZE ?= 0

CC ?= cc
AR ?= ar

VS_CPPFLAGS := -I$(VS_TOP)/kernel/include/uapi
VS_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -fPIC
VS_LDFLAGS :=

ifeq ($(SANITIZE),1)
VS_SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer \
	       -fno-sanitize-recover=all
VS_CFLAGS += $(VS_SANFLAGS)
VS_LDFLAGS += $(VS_SANFLAGS)
else ifneq ($(SANITIZE),0)
$(error SANITIZE must be 0 or 1, not '$(SANITIZE)')
endif

# Compile and link command prefixes; -MMD writes .d files next to objects.
VS_COMPILE = $(CC) $(VS_CPPFLAGS) $(CPPFLAGS) $(VS_CFLAGS) $(CFLAGS) -MMD -MP
VS_LINK = $(CC) $(CFLAGS) $(VS_LDFLAGS) $(LDFLAGS)

# Text recorded in a stamp file so that objects are rebuilt when the flags
# change (for example when SANITIZE is toggled on the same O=).
VS_FLAGS_TEXT = $(VS_COMPILE) | $(VS_LINK)

# $(call vs_stamp_rule,FILE): FILE changes only when VS_FLAGS_TEXT does.
define vs_stamp_rule
$(1): FORCE
	@mkdir -p $$(@D)
	@printf '%s\n' '$$(VS_FLAGS_TEXT)' | cmp -s - $$@ || \
		printf '%s\n' '$$(VS_FLAGS_TEXT)' > $$@
endef

# The including Makefile's "all" stays the default goal.
.DEFAULT_GOAL := all

.PHONY: FORCE
FORCE:
