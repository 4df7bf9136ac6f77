package dev.datahub.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datahub.DataHubException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one writer of target/datahub: whole files in one JSON format, and nothing half-written left behind. */
class ResultFilesTest {

  @TempDir Path tmp;

  record Result(String name, List<String> tags) {}

  @Test
  void jsonResultsAreIndentedEndWithANewlineAndCreateTheirDirectory() throws Exception {
    Path file = tmp.resolve("target/datahub/release/staging-record.json");
    ResultFiles.writeJson(file, new Result("a", List.of("x")));
    assertEquals("{\n  \"name\" : \"a\",\n  \"tags\" : [ \"x\" ]\n}\n", Files.readString(file));
    assertEquals(new Result("a", List.of("x")), ResultFiles.JSON.readValue(file.toFile(), Result.class));
  }

  @Test
  void aRewriteReplacesTheWholeFileAndLeavesNoTemporaryFile() throws Exception {
    Path file = tmp.resolve("image.json");
    ResultFiles.writeText(file, "a much longer first version of the file\n");
    ResultFiles.writeText(file, "short\n");
    assertEquals("short\n", Files.readString(file));
    try (Stream<Path> files = Files.list(tmp)) {
      assertEquals(List.of(file), files.toList(), "only the result itself");
    }
  }

  @Test
  void aPlaceThatCannotBeWrittenFailsInOneLineWithTheFix() throws Exception {
    Path blocked = Files.createDirectories(tmp.resolve("summary.md/child")).getParent(); // a directory in its place
    DataHubException e = assertThrows(DataHubException.class, () -> ResultFiles.writeText(blocked, "x"));
    assertTrue(e.getMessage().startsWith("cannot write " + blocked + ": "), e.getMessage());
    assertTrue(e.getMessage().endsWith(" — check that the build directory is writable"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    try (Stream<Path> files = Files.list(tmp)) {
      assertEquals(List.of(blocked), files.toList(), "no temporary file left behind");
    }
  }

  @Test
  void deletingAStaleResultThatIsNotThereIsFine() throws Exception {
    Path file = tmp.resolve("result.json");
    ResultFiles.delete(file);
    ResultFiles.writeText(file, "{}\n");
    ResultFiles.delete(file);
    assertFalse(Files.exists(file));
  }
}
