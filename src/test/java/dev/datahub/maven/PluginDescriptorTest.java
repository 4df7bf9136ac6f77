package dev.datahub.maven;

import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.w3c.dom.NodeList;

/**
 * A hub project configures the plugin once, at plugin level, and the {@code datahub} lifecycle runs several goals
 * with that one configuration. Maven hands every goal every element, so two goals must never read the same element
 * as different types (build-image's {@code <image>} block once met the release goals' {@code image} string, and every
 * release goal then failed with "Basic element 'image' must not contain child elements").
 */
class PluginDescriptorTest {

  @Test
  void everyParameterNameHasOneTypeAcrossGoals() throws Exception {
    Path descriptor = Path.of("target/classes/META-INF/maven/plugin.xml");
    assertTrue(Files.isRegularFile(descriptor), "no " + descriptor + " — run through Maven (mvn test): the "
        + "maven-plugin-plugin descriptor goal writes it at process-classes");
    Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(descriptor.toFile());
    Map<String, Map<String, List<String>>> typesByName = new TreeMap<>();
    NodeList mojos = doc.getElementsByTagName("mojo");
    for (int i = 0; i < mojos.getLength(); i++) {
      Element mojo = (Element) mojos.item(i);
      String goal = text(mojo, "goal");
      NodeList parameters = ((Element) mojo.getElementsByTagName("parameters").item(0)).getElementsByTagName("parameter");
      for (int j = 0; j < parameters.getLength(); j++) {
        Element parameter = (Element) parameters.item(j);
        if ("false".equals(text(parameter, "editable"))) {
          continue; // read-only (${project}, ${session}, ${plugin}): not configurable
        }
        typesByName.computeIfAbsent(text(parameter, "name"), k -> new TreeMap<>())
            .computeIfAbsent(text(parameter, "type"), k -> new ArrayList<>()).add(goal);
      }
    }
    assertTrue(typesByName.containsKey("imageReference") && typesByName.containsKey("image"),
        "the descriptor lists build-image's image and the release goals' imageReference: " + typesByName.keySet());
    List<String> clashes = new ArrayList<>();
    typesByName.forEach((name, types) -> {
      if (types.size() > 1) {
        clashes.add("<" + name + "> is " + types);
      }
    });
    assertTrue(clashes.isEmpty(), "one plugin-level configuration cannot serve these goals: " + clashes);
  }

  private static String text(Element parent, String tag) {
    NodeList nodes = parent.getElementsByTagName(tag);
    return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent().trim();
  }
}
