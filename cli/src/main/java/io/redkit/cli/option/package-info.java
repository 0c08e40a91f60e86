/** Options shared by several commands (picocli mixins), the enums of their values, and converters. */
package io.redkit.cli.option;
