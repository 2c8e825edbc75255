# SPDX-License-Identifier: GPL-2.0-or-later
#
# The one place the package name and version are defined; the tools
# print them for --version (common.c), so every build of common.c needs
# PACKAGE_CPPFLAGS.
PACKAGE_NAME := vserver-utils
PACKAGE_VERSION := 0.1
PACKAGE_CPPFLAGS := -DPACKAGE_NAME='"$(PACKAGE_NAME)"' \
		    -DPACKAGE_VERSION='"$(PACKAGE_VERSION)"'
