package io.rollcall.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.Test;

/** A served node runs without Netty's sampling leak detector, unless the operator asks for it. */
class LeakDetectorSettingTest {
    private static final String PROPERTY = "io.netty.leakDetection.level";

    @Test
    void offUnlessAskedFor() {
        ResourceLeakDetector.Level before = ResourceLeakDetector.getLevel();
        String property = System.getProperty(PROPERTY);
        try {
            System.clearProperty(PROPERTY);
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.SIMPLE);
            ServeCommand.quietLeakDetector();
            assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.DISABLED);

            System.setProperty(PROPERTY, "paranoid");
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
            ServeCommand.quietLeakDetector();
            assertThat(ResourceLeakDetector.getLevel()).as("the operator's choice stands").isEqualTo(ResourceLeakDetector.Level.PARANOID);
        } finally {
            if (property == null) {
                System.clearProperty(PROPERTY);
            } else {
                System.setProperty(PROPERTY, property);
            }
            ResourceLeakDetector.setLevel(before);
        }
    }
}
