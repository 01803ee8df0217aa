package routeguard.example;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The Java example runs as written. */
class ScanExampleTest {
    @Test
    void runs() throws Exception {
        String out = ScanExample.run();
        assertTrue(out.contains("email_address"), out);
        assertTrue(out.contains("[CREDIT_CARD]"), out);
        assertTrue(out.contains("allowed=false"), out);
        assertTrue(out.contains("error "), out);
    }
}
