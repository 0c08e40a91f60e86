package io.redkit.formats.resp;

import java.io.IOException;
import java.util.List;

/** Opens the test RESP parser to tests of other packages. */
public final class RespParserAccess {
    private RespParserAccess() {
    }

    /** Parses RESP request arrays. */
    public static List<List<byte[]>> parse(byte[] data) throws IOException {
        return RespParser.parse(data);
    }
}
