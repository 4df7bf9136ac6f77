package dev.datahub.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * docs/goals.md is generated from the plugin descriptor (the mojos' own javadoc, properties and
 * defaults), so the goal reference cannot drift from the code. When a mojo changes, this test fails;
 * regenerate with {@code mvn -o test -Dtest=GoalReferenceTest -Ddatahub.docs.write=true}.
 */
class GoalReferenceTest {

  private static final Path DESCRIPTOR = Path.of("target/classes/META-INF/maven/plugin.xml");
  private static final Path DOC = Path.of("docs/goals.md");

  @Test
  void goalReferenceMatchesThePluginDescriptor() throws Exception {
    String generated = render(DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(DESCRIPTOR.toFile()));
    if (Boolean.getBoolean("datahub.docs.write")) {
      Files.writeString(DOC, generated, StandardCharsets.UTF_8);
    }
    String committed = Files.exists(DOC) ? Files.readString(DOC, StandardCharsets.UTF_8) : "";
    assertEquals(generated, committed, "docs/goals.md is out of date — run: "
        + "mvn -o test -Dtest=GoalReferenceTest -Ddatahub.docs.write=true");
  }

  static String render(Document descriptor) {
    StringBuilder md = new StringBuilder();
    md.append("# Goal reference\n\n")
        .append("Generated from the plugin descriptor by `GoalReferenceTest` (do not edit by hand; the test fails when it\n")
        .append("is out of date). `mvn datahub:help -Ddetail` prints the same on the command line.\n")
        .append("Nested configuration blocks (`<image>`, `<chart>`, `<environments>`, `<smokeTest>`, `<python>`) are\n")
        .append("described in README.md and docs/.\n\n");
    Map<String, Element> mojos = new TreeMap<>();
    NodeList list = descriptor.getElementsByTagName("mojo");
    for (int i = 0; i < list.getLength(); i++) {
      Element mojo = (Element) list.item(i);
      mojos.put(text(mojo, "goal"), mojo);
    }
    for (Element mojo : mojos.values()) {
      String goal = text(mojo, "goal");
      md.append("## `datahub:").append(goal).append("`\n\n");
      md.append(oneLine(text(mojo, "description"))).append("\n\n");
      String phase = text(mojo, "phase");
      md.append("Default phase: ").append(phase.isEmpty() ? "none (run it explicitly)" : "`" + phase + "`").append(".\n\n");
      Map<String, String[]> config = new TreeMap<>();
      Element configuration = (Element) mojo.getElementsByTagName("configuration").item(0);
      if (configuration != null) {
        NodeList entries = configuration.getChildNodes();
        for (int i = 0; i < entries.getLength(); i++) {
          if (entries.item(i) instanceof Element e) {
            String expression = e.getTextContent().trim();
            String property = expression.startsWith("${") ? expression.substring(2, expression.length() - 1) : "";
            config.put(e.getTagName(), new String[] {property, e.getAttribute("default-value")});
          }
        }
      }
      List<String> rows = new ArrayList<>();
      NodeList parameters = mojo.getElementsByTagName("parameter");
      for (int i = 0; i < parameters.getLength(); i++) {
        Element p = (Element) parameters.item(i);
        if (!"true".equals(text(p, "editable"))) {
          continue; // read-only: project, session, plugin
        }
        String name = text(p, "name");
        String[] c = config.getOrDefault(name, new String[] {"", ""});
        String type = text(p, "type");
        rows.add("| `" + name + "` | " + (c[0].isEmpty() ? "" : "`" + c[0] + "`") + " | "
            + (c[1].isEmpty() ? "" : "`" + c[1] + "`") + " | `" + type.substring(type.lastIndexOf('.') + 1) + "` | "
            + oneLine(text(p, "description")).replace("|", "\\|") + " |");
      }
      md.append("| parameter | property | default | type | description |\n|---|---|---|---|---|\n");
      rows.forEach(r -> md.append(r).append('\n'));
      md.append('\n');
    }
    return md.toString();
  }

  private static String text(Element parent, String tag) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(tag)) {
        return e.getTextContent().trim();
      }
    }
    return "";
  }

  /** Javadoc HTML to one Markdown line; configuration elements like {@code <to>} stay visible. */
  private static String oneLine(String html) {
    return html.replaceAll("</?(p|br|ul|ol|li|em|i|b|strong|pre|a)( [^>]*)?/?>", " ")
        .replaceAll("</?code>", "`")
        .replace("<", "&lt;").replace(">", "&gt;")
        .replaceAll("\\s+", " ").trim();
  }
}
