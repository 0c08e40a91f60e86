/**
 * Backup verification: {@link io.redkit.verify.Verifier} reads RDB files, AOF files, AOF
 * directories and archives holding them to their end and lists every problem it finds;
 * {@link io.redkit.verify.Checks} adds the CI assertions (key count, age, types, key size);
 * {@link io.redkit.verify.ReportWriter} writes text, JSON and JUnit XML; {@link io.redkit.verify.AofRepair}
 * writes repaired or point-in-time copies of an AOF.
 */
package io.redkit.verify;
