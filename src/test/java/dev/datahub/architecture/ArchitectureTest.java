package dev.datahub.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The two layers of STYLE.md, checked on the compiled classes: the core (every package but {@code maven}) speaks no
 * Maven, packages form no cycle, and the mojos reach fabric8, Jib and helm-java only through the core. Each rule is
 * also run on small classes under {@code fixture} that break it, so a rule that can no longer fail is noticed.
 */
class ArchitectureTest {

  private static final String ROOT = "dev.datahub";
  private static final String FIXTURE = "dev.datahub.architecture.fixture";

  /**
   * Outside the Maven layer, nothing depends on Maven's API. The Maven layer is {@code <root>.maven} and the package
   * of the help goal that maven-plugin-plugin generates ({@code dev.datahub.datahub_maven_plugin}).
   */
  static ArchRule coreSpeaksNoMaven(String root) {
    return noClasses().that().resideInAPackage(root + "..")
        .and().resideOutsideOfPackages(root + ".maven..", root + ".datahub_maven_plugin..")
        .should().dependOnClassesThat().resideInAPackage("org.apache.maven..")
        .because("the core is plain Java that other front ends and tests use without Maven");
  }

  /** The packages below {@code root} form no cycle. */
  static ArchRule packagesFormNoCycle(String root) {
    return slices().matching(root + ".(*)..").should().beFreeOfCycles();
  }

  /** The mojos call the core, which owns fabric8, Jib and helm-java. */
  static ArchRule mojosOnlyAdapt(String root) {
    return noClasses().that().resideInAPackage(root + ".maven..")
        .should().dependOnClassesThat().resideInAnyPackage("io.fabric8..", "com.google.cloud.tools.jib..",
            "com.marcnuri.helm..")
        .because("a mojo reads parameters, calls one service of the core and writes its outputs");
  }

  private static JavaClasses production() {
    return new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(ROOT);
  }

  private static JavaClasses fixtures() {
    return new ClassFileImporter().importPackages(FIXTURE);
  }

  @Test
  void theCoreImportsNoMaven() {
    JavaClasses classes = production();
    assertTrue(classes.contain("dev.datahub.image.SingleUserImage") && classes.contain("dev.datahub.maven.StatusMojo")
        && !classes.contain("dev.datahub.architecture.ArchitectureTest"), "the production classes, and only those, were read");
    coreSpeaksNoMaven(ROOT).check(classes);
  }

  @Test
  void packagesFormNoCycle() {
    packagesFormNoCycle(ROOT).check(production());
  }

  @Test
  void mojosCallNeitherFabric8NorJibNorHelmJava() {
    mojosOnlyAdapt(ROOT).check(production());
  }

  /**
   * The core's messages name a setting as a {@code dev.datahub.Fix}, never in Maven's syntax: no string literal of a
   * core source says {@code -Ddatahub…}, {@code settings.xml} or a {@code datahub:} goal (comments may).
   */
  @Test
  void coreMessagesSpeakNoMavenSyntax() throws IOException {
    Pattern maven = Pattern.compile("\"[^\"]*(-Ddatahub|settings\\.xml|datahub:[a-z])");
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(Path.of("src/main/java/dev/datahub"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        if (file.startsWith(Path.of("src/main/java/dev/datahub/maven"))) {
          continue;
        }
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
          String line = lines.get(i).strip();
          if (!line.startsWith("*") && !line.startsWith("//") && !line.startsWith("/*") && maven.matcher(line).find()) {
            found.add(file + ":" + (i + 1) + ": " + line);
          }
        }
      }
    }
    assertTrue(found.size() == 0, "name the setting as a Fix instead:\n" + String.join("\n", found));
    assertTrue(maven.matcher("+ \" — pass -Ddatahub.image=…\"").find() && maven.matcher("\"run datahub:plan\"").find()
        && !maven.matcher("// mvn datahub:plan").find(), "the pattern finds what it is for");
  }

  @Test
  void eachRuleFailsOnAClassThatBreaksIt() {
    JavaClasses broken = fixtures();
    assertViolatedOnlyBy(coreSpeaksNoMaven(FIXTURE).evaluate(broken), "fixture.image.UsesMavenLog");
    assertTrue(packagesFormNoCycle(FIXTURE).evaluate(broken).hasViolation(), "cyclea <-> cycleb is a cycle");
    assertViolatedOnlyBy(mojosOnlyAdapt(FIXTURE).evaluate(broken), "fixture.maven.CatchesFabric8");
  }

  private static void assertViolatedOnlyBy(EvaluationResult result, String className) {
    assertTrue(result.hasViolation(), "the rule saw " + className);
    for (String violation : result.getFailureReport().getDetails()) {
      assertTrue(violation.contains(FIXTURE + "." + className.substring("fixture.".length())), violation);
    }
  }
}
