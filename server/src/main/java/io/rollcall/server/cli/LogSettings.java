package io.rollcall.server.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.util.List;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * The log level and format {@code serve} runs with: flag, then env ({@code ROLLCALL_LOG_LEVEL},
 * {@code ROLLCALL_LOG_FORMAT}), then config file ({@code logLevel}, {@code logFormat}), then INFO and text.
 * Applied by re-reading the bundled logback.xml with the chosen values.
 */
final class LogSettings {
    static final List<String> LEVELS = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");
    static final List<String> FORMATS = List.of("text", "json");

    private LogSettings() {}

    /** Checks both values; throws IllegalArgumentException naming the setting. */
    static String[] validate(String level, String format) {
        String l = level == null ? "INFO" : level.toUpperCase(Locale.ROOT);
        String f = format == null ? "text" : format.toLowerCase(Locale.ROOT);
        if (!LEVELS.contains(l)) {
            throw new IllegalArgumentException("log level must be one of " + LEVELS + ", was '" + level + "'");
        }
        if (!FORMATS.contains(f)) {
            throw new IllegalArgumentException("log format must be 'text' or 'json', was '" + format + "'");
        }
        return new String[] {l, f};
    }

    static void apply(String level, String format) {
        String[] v = validate(level, format);
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
            return;
        }
        System.setProperty("ROLLCALL_LOG_LEVEL", v[0]);
        System.setProperty("ROLLCALL_LOG_FORMAT", v[1]);
        java.net.URL config = LogSettings.class.getClassLoader().getResource("logback.xml");
        if (config == null) {
            return;
        }
        ctx.reset();
        JoranConfigurator j = new JoranConfigurator();
        j.setContext(ctx);
        try {
            j.doConfigure(config);
        } catch (JoranException e) {
            System.err.println("rollcall: could not apply log settings: " + e.getMessage());
        }
    }
}
