package routeguard.example;

import java.util.List;

import routeguard.Decision;
import routeguard.Finding;
import routeguard.Guard;
import routeguard.Redaction;
import routeguard.RouteguardException;
import routeguard.Scanner;

/**
 * routeguard from plain Java: the generated Kotlin classes are ordinary Java classes (Kotlin
 * default arguments are passed as null), closed with try-with-resources.
 *
 * <pre>java -Djna.library.path=target/release -cp ... routeguard.example.ScanExample</pre>
 */
public final class ScanExample {
    private ScanExample() {}

    static final String POLICY = "{\"version\": 1, \"defaults\": {\"models\": {\"allow\": [\"openai/*\"]}},"
        + " \"workspaces\": {\"default\": {}}, \"users\": {\"alice\": {}}}";

    /** Scans and redacts a text, then asks a guard about a request; returns what it printed. */
    public static String run() throws RouteguardException {
        StringBuilder out = new StringBuilder();
        String text = "Mail bob@example.com, card 4111 1111 1111 1111.";
        try (Scanner scanner = new Scanner((String) null)) {
            List<Finding> findings = scanner.scan(text);
            for (Finding f : findings) {
                // start/end are UTF-16 units: String.substring takes them as they are.
                out.append(f.getDetector()).append(' ')
                   .append(f.getStart()).append('-').append(f.getEnd()).append('\n');
            }
            Redaction redaction = scanner.redact(text, "redact", null, null);
            out.append(redaction.getText()).append('\n');
        }
        try (Guard guard = new Guard(POLICY, null)) {
            Decision d = guard.prepare(
                "{\"user\": \"alice\", \"workspace\": \"default\"}",
                "{\"model\": \"anthropic/claude-sonnet-4\", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]}",
                null, null);
            out.append("allowed=").append(d.getAllowed());
            if (!d.getReasons().isEmpty()) {
                out.append(' ').append(d.getReasons().get(0).getCode());
            }
            out.append('\n');
        }
        try (Scanner scanner = new Scanner((String) null)) {
            scanner.redact(text, "no_such_action", null, null);
        } catch (RouteguardException e) {
            // Every case carries the code's name and number; errorCode() reads it from any case.
            out.append("error ").append(e.errorCode()).append(' ').append(e.errorNumber()).append('\n');
        }
        return out.toString();
    }

    public static void main(String[] args) throws RouteguardException {
        System.out.print(run());
    }
}
