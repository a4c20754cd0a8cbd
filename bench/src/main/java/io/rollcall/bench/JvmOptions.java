package io.rollcall.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

/**
 * The JVM options Rollcall ships with ({@code META-INF/rollcall/jvm.options}, which {@code ./rollcall serve}
 * applies too): the bench measures the server as it is run, and gives its reference server the same ones.
 */
final class JvmOptions {
    static final String RESOURCE = "META-INF/rollcall/jvm.options";

    private JvmOptions() {}

    /** From the server jar under test; none if it has no such file (an older build). */
    static List<String> ofJar(String serverJar) {
        try (JarFile jar = new JarFile(serverJar)) {
            ZipEntry e = jar.getEntry(RESOURCE);
            if (e == null) {
                return List.of();
            }
            try (InputStream in = jar.getInputStream(e)) {
                return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE + " from " + serverJar, e);
        }
    }

    /** From the bench's own class path (the server module it was built with): for the reference server. */
    static List<String> ofClassPath() {
        try (InputStream in = JvmOptions.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the bench's class path");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One option per line; blank lines and '#' comments skipped. */
    static List<String> parse(String text) {
        List<String> options = new ArrayList<>();
        for (String line : text.split("\n")) {
            int hash = line.indexOf('#');
            String option = (hash >= 0 ? line.substring(0, hash) : line).strip();
            if (!option.isEmpty()) {
                options.add(option);
            }
        }
        return options;
    }
}
