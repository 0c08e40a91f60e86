package io.redkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The launcher keeps no archive from a failed training run: every training command must succeed. */
class CdsTrainingTest {
    @Test
    void everyTrainingCommandSucceeds() throws Exception {
        assertEquals(0, CdsTraining.run());
    }
}
