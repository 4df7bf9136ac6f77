package dev.datahub.smoke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.datahub.DataHubException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The code cells of an {@code .ipynb} file (nbformat 4), read and validated before the hub is
 * touched so a broken file fails fast.
 *
 * @param name the file name, used as the check name
 * @param codeCells the source of each non-empty code cell, in order
 */
public record Notebook(String name, List<String> codeCells) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public Notebook {
    codeCells = List.copyOf(codeCells);
  }

  public static Notebook read(Path file) {
    String fix = " — open and re-save it in Jupyter, or remove it from <notebooks>";
    JsonNode root;
    try {
      root = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      throw new DataHubException("smoke-test notebook " + file + " does not exist — fix the path in <notebooks>");
    } catch (IOException e) {
      throw new DataHubException("smoke-test notebook " + file + " is not valid JSON (" + oneLine(e.getMessage()) + ")" + fix);
    }
    if (root == null || !root.isObject() || !root.path("cells").isArray()) {
      throw new DataHubException("smoke-test notebook " + file + " is not an .ipynb notebook (no \"cells\" array)" + fix);
    }
    if (root.path("nbformat").asInt(0) != 4) {
      throw new DataHubException("smoke-test notebook " + file + " has nbformat " + root.path("nbformat")
          + ", only nbformat 4 is supported" + fix);
    }
    List<String> cells = new ArrayList<>();
    int index = 0;
    for (JsonNode cell : root.path("cells")) {
      index++;
      if (!"code".equals(cell.path("cell_type").asText())) {
        continue;
      }
      JsonNode source = cell.get("source");
      String code;
      if (source != null && source.isTextual()) {
        code = source.asText();
      } else if (source != null && source.isArray()) {
        StringBuilder sb = new StringBuilder();
        source.forEach(part -> sb.append(part.asText()));
        code = sb.toString();
      } else {
        throw new DataHubException("smoke-test notebook " + file + ": cell " + index
            + " has no \"source\" string or list" + fix);
      }
      if (!code.isBlank()) {
        cells.add(code);
      }
    }
    return new Notebook(file.getFileName().toString(), cells);
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.lines().findFirst().orElse("");
  }
}
