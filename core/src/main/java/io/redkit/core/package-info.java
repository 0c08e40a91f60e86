/** Shared foundations: the error family, input limits and byte-string helpers. No third-party dependencies. */
package io.redkit.core;
