package dev.handoff.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Makes sqlite4java's native library (which DynamoDB Local stores its tables in) available without Maven.
 *
 * <p>The build copies the library into this jar under {@code native/}; here it is extracted once per JVM to a temp
 * directory and {@code sqlite4java.library.path} is pointed at it, so the same code works from surefire and from a
 * runner started with a plain {@code java -cp ...}. A library path set by the caller is left alone.
 */
final class Sqlite4javaNative {

    static final String LIBRARY_PATH_PROPERTY = "sqlite4java.library.path";

    /** The natives bundled by the pom; sqlite4java picks the one for this OS and architecture by name. */
    private static final List<String> BUNDLED = List.of(
            "libsqlite4java-linux-amd64.so",
            "libsqlite4java-osx.dylib",
            "sqlite4java-win32-x64.dll");

    private static Path extractedTo;

    private Sqlite4javaNative() {
    }

    /** Sets {@code sqlite4java.library.path}, extracting the bundled libraries first if needed. Idempotent. */
    static synchronized void ensureLibraryPath() {
        String preset = System.getProperty(LIBRARY_PATH_PROPERTY);
        if (preset != null && !preset.isBlank()) {
            return;
        }
        if (extractedTo == null) {
            extractedTo = extract();
        }
        System.setProperty(LIBRARY_PATH_PROPERTY, extractedTo.toString());
    }

    private static Path extract() {
        try {
            Path dir = Files.createTempDirectory("handoff-sqlite4java-");
            dir.toFile().deleteOnExit();
            int found = 0;
            for (String name : BUNDLED) {
                try (InputStream in = Sqlite4javaNative.class.getResourceAsStream("/native/" + name)) {
                    if (in == null) {
                        continue;
                    }
                    Path target = dir.resolve(name);
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                    target.toFile().deleteOnExit();
                    found++;
                }
            }
            if (found == 0) {
                throw new IllegalStateException("No sqlite4java native library under native/ on the classpath: "
                        + "handoff-local-engines was built without its bundled natives (run its Maven build), "
                        + "or set -D" + LIBRARY_PATH_PROPERTY + " to a directory holding them.");
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not extract sqlite4java's native library for DynamoDB Local", e);
        }
    }
}
