package dev.weir.agent.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerationFileTest {
    @TempDir
    Path state;

    @Test
    void keepsTheNewestGenerationOnly() {
        var file = new GenerationFile(state.resolve("generation"));
        assertThat(file.read()).isZero();
        file.keep(5);
        file.keep(3); // a replayed older generation never moves it back
        assertThat(file.read()).isEqualTo(5);
        assertThat(new GenerationFile(state.resolve("generation")).read()).isEqualTo(5);
    }

    @Test
    void anUnreadableFileCountsAsNothingKept() throws IOException {
        Files.writeString(state.resolve("generation"), "five");
        assertThat(new GenerationFile(state.resolve("generation")).read()).isZero();
        assertThat(GenerationFile.none().read()).isZero();
        GenerationFile.none().keep(7);
        assertThat(GenerationFile.none().read()).isZero();
    }
}
