package dev.datahub.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.datahub.DataHubException;
import dev.datahub.maven.ReleaseLibraries.Library;
import java.io.File;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.maven.artifact.DefaultArtifact;
import org.apache.maven.artifact.handler.DefaultArtifactHandler;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.apache.maven.project.MavenProject;
import org.apache.maven.repository.internal.MavenRepositorySystemUtils;
import org.codehaus.plexus.classworlds.ClassWorld;
import org.codehaus.plexus.classworlds.realm.ClassRealm;
import org.eclipse.aether.DefaultRepositorySystemSession;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.repository.LocalRepository;
import org.eclipse.aether.repository.RemoteRepository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * helm-java and the Kubernetes client are provided-scope: Maven leaves them out of the plugin realm, and the goals that
 * use them add what the build recorded (META-INF/datahub/dependency-tree.json, written by dependency:tree at
 * process-resources). These tests hold the record to the real resolution (the test class path has the same
 * versions), check that nothing the libraries reach is left out (Maven placed a shared node elsewhere: it must then be
 * the plugin's own or exported by Maven's core), and try the failures: an artifact absent while offline, a class of
 * theirs missing at run time.
 */
class ReleaseLibrariesTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PLATFORM = ReleaseLibraries.helmPlatform(System.getProperty("os.name"),
      System.getProperty("os.arch"));
  private static final Path M2 = Path.of(System.getProperty("user.home"), ".m2", "repository");

  @Test
  void theRecordedArtifactsAreTheVersionsTheTestsRunWith() {
    List<Library> needed = ReleaseLibraries.needed(ReleaseLibraries.recordedTree(), PLATFORM);
    Set<String> classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .map(p -> p.replace(File.separatorChar, '/')).collect(Collectors.toSet());
    List<String> notOnClassPath = new ArrayList<>();
    for (Library l : needed) {
      String jar = "/" + l.groupId().replace('.', '/') + "/" + l.artifactId() + "/" + l.version() + "/" + l.artifactId()
          + "-" + l.version() + (l.classifier().isEmpty() ? "" : "-" + l.classifier()) + ".jar";
      if (classPath.stream().noneMatch(p -> p.endsWith(jar))) {
        notOnClassPath.add(l + " (" + jar + ")");
      }
    }
    assertTrue(notOnClassPath.isEmpty(), "the record and the build's resolution disagree: " + notOnClassPath);
    Set<String> keys = needed.stream().map(Library::key).collect(Collectors.toSet());
    for (String theirs : List.of("io.fabric8:kubernetes-client", "io.fabric8:kubernetes-client-api",
        "io.fabric8:kubernetes-httpclient-vertx", "io.vertx:vertx-core", "io.netty:netty-codec-http",
        "com.marcnuri.helm-java:helm-java", "com.marcnuri.helm-java:lib-api", "com.marcnuri.helm-java:" + PLATFORM,
        "net.java.dev.jna:jna-jpms", "com.fasterxml.jackson.dataformat:jackson-dataformat-yaml")) {
      assertTrue(keys.contains(theirs), theirs + " missing from " + keys);
    }
    for (String realms : List.of("com.google.cloud.tools:jib-core", "com.fasterxml.jackson.core:jackson-databind",
        "com.fasterxml.jackson.core:jackson-core", "org.slf4j:slf4j-api", "org.apache.maven:maven-core")) {
      assertFalse(keys.contains(realms), realms + " is the plugin's own or Maven's, not to add: " + keys);
    }
    System.out.println("release libraries recorded for the plugin realm: " + needed.size() + " jars");
  }

  @Test
  void everyArtifactTheLibrariesReachIsRecordedOrInTheRealmOrExportedByMaven() throws Exception {
    List<String> problems = leftOut(ReleaseLibraries.recordedTree(), mavenCoreExports());
    assertTrue(problems.isEmpty(), "the release libraries need artifacts the plugin realm would not have: " + problems);
  }

  @Test
  void aSharedNodeMavenPlacedUnderItsOwnApiIsFoundWhenMavenDoesNotExportIt() throws Exception {
    // guava: reached by the Kubernetes client at depth 3, but nearer under maven-core (depth 2), which Maven's core
    // keeps to itself: the realm would lack it, and the check must say so.
    ObjectNode tree = tree(
        node("org.apache.maven", "maven-core", "provided", node("com.google.guava", "guava", "provided")),
        node("com.google.cloud.tools", "jib-core", "compile", node("com.fasterxml.jackson.core", "jackson-core",
            "compile")),
        node("io.fabric8", "kubernetes-client", "provided", node("io.fabric8", "kubernetes-client-api", "provided",
            node("com.google.guava", "guava", "provided"), node("com.fasterxml.jackson.core", "jackson-core",
                "provided"), node("org.slf4j", "slf4j-api", "provided"))),
        node("org.apache.maven", "maven-plugin-api", "provided", node("org.slf4j", "slf4j-api", "provided")));
    List<Library> needed = ReleaseLibraries.needed(tree, PLATFORM);
    assertEquals(List.of("io.fabric8:kubernetes-client", "io.fabric8:kubernetes-client-api"),
        needed.stream().map(Library::key).toList(), "nearest node wins: guava, jackson-core and slf4j-api sit elsewhere");
    assertEquals(List.of("com.google.guava:guava is placed under org.apache.maven:maven-core, which Maven's core does"
        + " not export"), leftOut(tree, mavenCoreExports()));
  }

  @Test
  void theNearestNodeWinsAndTheFirstAtEqualDepth() {
    ObjectNode tree = tree(
        node("io.fabric8", "kubernetes-client", "provided", node("a", "near", "provided", "1"),
            node("x", "y", "provided", node("a", "far", "provided", "1"))),
        node("com.marcnuri.helm-java", "helm-java", "provided", node("a", "near", "provided", "2"),
            node("a", "far", "provided", "2"), node("com.marcnuri.helm-java", "linux-amd64", "provided")));
    Map<String, String> versions = ReleaseLibraries.needed(tree, "darwin-arm64").stream()
        .collect(Collectors.toMap(Library::key, Library::version));
    assertEquals("1", versions.get("a:near"), "equal depth: the first in the graph wins");
    assertEquals("2", versions.get("a:far"), "the nearer node wins");
    assertTrue(versions.containsKey("com.marcnuri.helm-java:darwin-arm64") && !versions.containsKey(
        "com.marcnuri.helm-java:linux-amd64"), "the running machine's native library, not the build's: " + versions);
  }

  @Test
  void helmJavasNativeLibraryFollowsItsOsProfiles() {
    assertEquals("linux-amd64", ReleaseLibraries.helmPlatform("Linux", "amd64"));
    assertEquals("linux-arm64", ReleaseLibraries.helmPlatform("Linux", "aarch64"));
    assertEquals("darwin-amd64", ReleaseLibraries.helmPlatform("Mac OS X", "x86_64"));
    assertEquals("darwin-arm64", ReleaseLibraries.helmPlatform("Mac OS X", "aarch64"));
    assertEquals("windows-amd64", ReleaseLibraries.helmPlatform("Windows 11", "amd64"));
    DataHubException e = assertThrows(DataHubException.class, () -> ReleaseLibraries.helmPlatform("Linux", "ppc64le"));
    assertTrue(e.getMessage().contains("no native library for Linux/ppc64le"), e.getMessage());
  }

  @Test
  void theLibrariesAreAddedOncePerRealmFromTheLocalRepositoryOffline() throws Exception {
    RepositorySystem system = MavenRepositorySystemUtils.newServiceLocator().getService(RepositorySystem.class);
    DefaultRepositorySystemSession session = offlineSession(system, M2);
    ClassRealm realm = new ClassWorld().newRealm("plugin>dev.datahub:datahub-maven-plugin", null);
    JsonNode tree = ReleaseLibraries.recordedTree();
    List<Library> needed = ReleaseLibraries.needed(tree, PLATFORM);
    // a user's <plugin><dependencies> put helm-java in the realm already: not added twice
    var helmJava = new DefaultArtifact("com.marcnuri.helm-java", "helm-java", "0.0.21", "runtime", "jar", null,
        new DefaultArtifactHandler("jar"));
    ReleaseLibraries.addTo(realm, List.of(helmJava), system, session, List.of(central()), () -> tree,
        new SystemStreamLog());
    List<URL> urls = List.of(realm.getURLs());
    assertEquals(needed.size() - 1, urls.size(), "every recorded jar but the one the realm had: " + urls);
    assertTrue(urls.stream().noneMatch(u -> u.getPath().endsWith("/helm-java-0.0.21.jar")), urls.toString());
    assertTrue(urls.stream().allMatch(u -> u.getPath().startsWith(M2.toUri().getPath())), urls.toString());
    // the realm can now load the Kubernetes client through the Vert.x client it brings
    assertEquals(realm, realm.loadClass("io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory").getClassLoader());

    ReleaseLibraries.addTo(realm, List.of(), system, session, List.of(central()), () -> {
      throw new AssertionError("the record is read again for a realm that has the libraries");
    }, new SystemStreamLog());
    assertEquals(urls, List.of(realm.getURLs()), "a second goal on the same realm adds nothing");
  }

  @Test
  void anArtifactAbsentOfflineFailsWithTheFixAndAddsNothing(@TempDir Path emptyRepository) throws Exception {
    RepositorySystem system = MavenRepositorySystemUtils.newServiceLocator().getService(RepositorySystem.class);
    DefaultRepositorySystemSession session = offlineSession(system, emptyRepository);
    ClassRealm realm = new ClassWorld().newRealm("plugin", null);
    DataHubException e = assertThrows(DataHubException.class, () -> ReleaseLibraries.addTo(realm, List.of(), system,
        session, List.of(central()), ReleaseLibraries::recordedTree, new SystemStreamLog()));
    assertTrue(e.getMessage().startsWith("helm-java and the Kubernetes client are not all in the local repository "
        + emptyRepository + " and Maven runs offline (-o): missing io.fabric8:kubernetes-client:jar:7.8.0 and "),
        e.getMessage());
    assertTrue(e.getMessage().contains("— run `mvn datahub:validate` once without -o"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    assertEquals(0, realm.getURLs().length, "nothing added");
    try (var files = Files.walk(emptyRepository)) {
      assertEquals(List.of(), files.filter(f -> f.toString().endsWith(".jar")).toList(), "nothing fetched");
    }
  }

  @Test
  void aClassOfTheirsMissingAtRunTimeFailsTheGoalInOneLineWithTheWorkaround(@TempDir Path target) {
    MojoExecutionException e = assertThrows(MojoExecutionException.class,
        statusFailingWith(new NoClassDefFoundError("io/vertx/core/Vertx"), target)::execute);
    assertEquals("status needs io/vertx/core/Vertx of helm-java or the Kubernetes client, which the plugin's recorded"
        + " dependency tree lacks (a bug of datahub-maven-plugin) — add io.fabric8:kubernetes-client and"
        + " com.marcnuri.helm-java:helm-java to the plugin's <dependencies> in the pom until it is fixed", e.getMessage());
    assertThrows(NoClassDefFoundError.class,
        statusFailingWith(new NoClassDefFoundError("org/example/Unrelated"), target)::execute,
        "a class of no release library is not explained away");
  }

  private static AbstractReleaseMojo statusFailingWith(NoClassDefFoundError error, Path target) {
    AbstractReleaseMojo mojo = new AbstractReleaseMojo() {
      @Override
      protected void runRelease() {
        throw error;
      }

      @Override
      protected String goalName() {
        return "status";
      }
    };
    mojo.project = project(target);
    return mojo;
  }

  /**
   * Maven looks every mojo up (loads, verifies, instantiates it) before the goal can add the release libraries: no mojo
   * class may need one of their types to be verified. A class loader shaped like build-image's realm (this plugin's
   * classes, its compile-scope jars, Maven's exported API from the parent) links and instantiates each of them.
   */
  @Test
  void everyMojoLinksAndInstantiatesInARealmWithoutTheReleaseLibraries() throws Exception {
    JsonNode tree = ReleaseLibraries.recordedTree();
    Set<String> compileJars = new LinkedHashSet<>();
    collectCompile(tree, compileJars);
    List<URL> urls = new ArrayList<>(List.of(Path.of("target/classes").toUri().toURL()));
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (compileJars.stream().anyMatch(entry.replace(File.separatorChar, '/')::endsWith)) {
        urls.add(Path.of(entry).toUri().toURL());
      }
    }
    assertTrue(urls.size() > 20 && urls.stream().noneMatch(u -> u.getPath().contains("/io/fabric8/")), urls.toString());
    ClassLoader mavenApi = new ClassLoader(ClassLoader.getPlatformClassLoader()) {
      @Override
      protected Class<?> findClass(String name) throws ClassNotFoundException {
        if (List.of("org.apache.maven.", "org.codehaus.plexus.", "org.eclipse.aether.", "org.slf4j.", "javax.inject.")
            .stream().anyMatch(name::startsWith)) {
          return ClassLoader.getSystemClassLoader().loadClass(name);
        }
        throw new ClassNotFoundException(name);
      }
    };
    List<String> mojos;
    try (var files = Files.list(Path.of("target/classes/dev/datahub/maven"))) {
      mojos = files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith("Mojo.class") && !n.startsWith("Abstract"))
          .map(n -> "dev.datahub.maven." + n.replace(".class", "")).sorted().toList();
    }
    assertTrue(mojos.size() >= 10 && mojos.contains("dev.datahub.maven.StatusMojo"), mojos.toString());
    try (java.net.URLClassLoader realm = new java.net.URLClassLoader(urls.toArray(URL[]::new), mavenApi)) {
      for (String mojo : mojos) {
        Object instance = Class.forName(mojo, true, realm).getDeclaredConstructor().newInstance();
        assertEquals(realm, instance.getClass().getClassLoader());
      }
      // the realm really lacks them: a class of the core that implements one of helm-java's types cannot load
      NoClassDefFoundError e = assertThrows(NoClassDefFoundError.class,
          () -> Class.forName("dev.datahub.release.HelmNativeLibrary", true, realm));
      assertTrue(ReleaseLibraries.isTheirs(e), e.getMessage());
    }
  }

  /** The jar paths (…/groupId/artifactId/version/artifactId-version.jar) of the plugin's own compile-scope winners. */
  private static void collectCompile(JsonNode tree, Set<String> into) {
    Map<String, Integer> depth = new HashMap<>();
    Map<String, String> jar = new HashMap<>();
    for (JsonNode top : tree.path("children")) {
      String scope = top.path("scope").asText();
      collectCompile(top, 1, "compile".equals(scope) || "runtime".equals(scope), depth, jar);
    }
    jar.values().stream().filter(j -> !j.isEmpty()).forEach(into::add);
  }

  private static void collectCompile(JsonNode node, int d, boolean compile, Map<String, Integer> depth,
      Map<String, String> jar) {
    Library l = ReleaseLibraries.library(node);
    if (!depth.containsKey(l.key()) || d < depth.get(l.key())) {
      depth.put(l.key(), d);
      jar.put(l.key(), compile ? "/" + l.groupId().replace('.', '/') + "/" + l.artifactId() + "/" + l.version() + "/"
          + l.artifactId() + "-" + l.version() + ".jar" : "");
    }
    for (JsonNode child : node.path("children")) {
      collectCompile(child, d + 1, compile, depth, jar);
    }
  }

  /** Artifacts the two libraries reach whose winning node the record does not add and the realm would not have. */
  static List<String> leftOut(JsonNode tree, Set<String> mavenExports) {
    Map<String, List<JsonNode>> byKey = new HashMap<>();
    Map<String, JsonNode> topOf = new HashMap<>();
    Map<String, Integer> depthOf = new HashMap<>();
    for (JsonNode top : tree.path("children")) {
      index(top, top, 1, byKey, topOf, depthOf);
    }
    Set<String> reached = new LinkedHashSet<>();
    List<String> queue = new ArrayList<>(ReleaseLibraries.ROOTS);
    while (!queue.isEmpty()) {
      String key = queue.remove(0);
      if (reached.add(key)) {
        for (JsonNode node : byKey.getOrDefault(key, List.of())) {
          node.path("children").forEach(c -> queue.add(key(c)));
        }
      }
    }
    Set<String> recorded = ReleaseLibraries.needed(tree, PLATFORM).stream().map(Library::key)
        .collect(Collectors.toSet());
    List<String> problems = new ArrayList<>();
    for (String key : reached) {
      if (!byKey.containsKey(key) || recorded.contains(key) || ReleaseLibraries.isHelmPlatform(new Library(key.split(":")[0], key.split(":")[1],
          "", "jar", ""))) {
        continue;
      }
      JsonNode top = topOf.get(key);
      if ("compile".equals(top.path("scope").asText()) || "runtime".equals(top.path("scope").asText())) {
        continue; // the plugin's own dependency: Maven puts it in the realm
      }
      if (!mavenExports.contains(key)) {
        problems.add(key + " is placed under " + key(top) + ", which Maven's core does not export");
      }
    }
    return problems;
  }

  private static void index(JsonNode node, JsonNode top, int depth, Map<String, List<JsonNode>> byKey,
      Map<String, JsonNode> topOf, Map<String, Integer> depthOf) {
    String key = key(node);
    byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(node);
    if (!depthOf.containsKey(key) || depth < depthOf.get(key)) {
      depthOf.put(key, depth);
      topOf.put(key, top);
    }
    for (JsonNode child : node.path("children")) {
      index(child, top, depth + 1, byKey, topOf, depthOf);
    }
  }

  private static String key(JsonNode node) {
    return ReleaseLibraries.library(node).key();
  }

  /** groupId:artifactId of what Maven's core exports to plugins (maven-core's META-INF/maven/extension.xml). */
  static Set<String> mavenCoreExports() throws Exception {
    for (URL url : Collections.list(ClassLoader.getSystemClassLoader().getResources("META-INF/maven/extension.xml"))) {
      if (url.toString().contains("/maven-core-")) {
        try (InputStream in = url.openStream()) {
          Matcher m = Pattern.compile("<exportedArtifact>([^<]+)</exportedArtifact>")
              .matcher(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
          Set<String> exports = new LinkedHashSet<>();
          while (m.find()) {
            exports.add(m.group(1).trim());
          }
          assertTrue(exports.contains("org.slf4j:slf4j-api"), "read " + url + ": " + exports);
          return exports;
        }
      }
    }
    throw new AssertionError("maven-core's META-INF/maven/extension.xml is not on the test class path");
  }

  private static MavenProject project(Path target) {
    MavenProject project = new MavenProject();
    project.getBuild().setDirectory(target.toString());
    return project;
  }

  private static DefaultRepositorySystemSession offlineSession(RepositorySystem system, Path localRepository) {
    DefaultRepositorySystemSession session = MavenRepositorySystemUtils.newSession();
    session.setLocalRepositoryManager(system.newLocalRepositoryManager(session,
        new LocalRepository(localRepository.toFile())));
    session.setOffline(true);
    return session;
  }

  private static RemoteRepository central() {
    return new RemoteRepository.Builder("central", "default", "https://repo.maven.apache.org/maven2").build();
  }

  private static ObjectNode tree(ObjectNode... children) {
    ObjectNode root = node("dev.datahub", "datahub-maven-plugin", "");
    ArrayNode array = root.putArray("children");
    Arrays.stream(children).forEach(array::add);
    return root;
  }

  private static ObjectNode node(String groupId, String artifactId, String scope, ObjectNode... children) {
    return node(groupId, artifactId, scope, "1.0", children);
  }

  private static ObjectNode node(String groupId, String artifactId, String scope, String version,
      ObjectNode... children) {
    ObjectNode node = JSON.createObjectNode().put("groupId", groupId).put("artifactId", artifactId)
        .put("version", version).put("type", "jar").put("scope", scope).put("classifier", "").put("optional", "false");
    if (children.length > 0) {
      ArrayNode array = node.putArray("children");
      Arrays.stream(children).forEach(array::add);
    }
    return node;
  }
}
