// SPDX-License-Identifier: MIT
// Keeps bouncedx_testing a valid library while it has no other sources.
