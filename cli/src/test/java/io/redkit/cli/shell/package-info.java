/** Tests of {@code redkit shell}: scripted runs over fixtures, the key index and its file, seeking, the RESP client. */
package io.redkit.cli.shell;
