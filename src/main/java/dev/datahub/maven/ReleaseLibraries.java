package dev.datahub.maven;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.datahub.DataHubException;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.codehaus.plexus.classworlds.realm.ClassRealm;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactRequest;
import org.eclipse.aether.resolution.ArtifactResolutionException;
import org.eclipse.aether.resolution.ArtifactResult;

/**
 * helm-java and the Kubernetes client, added to this plugin's class realm by the goals that use them.
 *
 * <p>Maven builds a plugin's realm from the plugin's whole runtime dependency graph for every goal: with these two
 * libraries (and Vert.x, Netty, JNA, YAML: 52 jars, 220 of 291 graph nodes) in it, build-image paid ~1 s for
 * resolving code it never loads. They are provided-scope dependencies instead; at build time dependency:tree records
 * the graph this build resolved into {@value #TREE}; before any class that needs them is loaded, the goals that use
 * them take the artifacts from that record (nearest node wins, as in Maven's conflict resolution), resolve them from
 * the local repository (or the plugin repositories when missing and online; no dependency collection) and append
 * them to the realm, once per realm. The platform jar of helm-java's native library is the running machine's, as
 * helm-java's own OS profiles would choose.
 */
final class ReleaseLibraries {

  static final String TREE = "META-INF/datahub/dependency-tree.json";

  /** The two roots whose subtrees the realm needs; everything else there is the plugin's own or Maven's. */
  static final Set<String> ROOTS = Set.of("io.fabric8:kubernetes-client", "com.marcnuri.helm-java:helm-java");

  private static final String HELM_JAVA_GROUP = "com.marcnuri.helm-java";
  private static final Set<String> HELM_PLATFORMS = Set.of("linux-amd64", "linux-arm64", "darwin-amd64",
      "darwin-arm64", "windows-amd64");

  /** Realms already given the libraries (Maven reuses a plugin's realm across executions and reactor projects). */
  private static final Set<ClassRealm> ADDED = Collections.newSetFromMap(new WeakHashMap<>());

  private ReleaseLibraries() {}

  /** One artifact of the recorded graph. */
  record Library(String groupId, String artifactId, String classifier, String type, String version) {

    /** groupId:artifactId[:classifier], what conflict resolution and the realm tell apart. */
    String key() {
      return groupId + ":" + artifactId + (classifier.isEmpty() ? "" : ":" + classifier);
    }

    DefaultArtifact artifact() {
      return new DefaultArtifact(groupId, artifactId, classifier, "test-jar".equals(type) ? "jar" : type, version);
    }

    @Override
    public String toString() {
      return key() + ":" + version;
    }
  }

  private record Node(Library library, int depth, String top) {}

  /** The recorded graph inside this plugin's jar. */
  static JsonNode recordedTree() {
    try (InputStream in = ReleaseLibraries.class.getClassLoader().getResourceAsStream(TREE)) {
      if (in == null) {
        throw new IllegalStateException(TREE + " is missing from the plugin jar: the build's dependency:tree"
            + " execution (release-libraries) did not run");
      }
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + TREE + " from the plugin jar: " + e.getMessage(), e);
    }
  }

  /**
   * The artifacts the two libraries need at run time: for every artifact in the graph the nearest node wins (the
   * first one at equal depth), and those whose winner lies below one of {@link #ROOTS} are theirs. Winners elsewhere
   * are the plugin's own compile dependencies (in the realm) or Maven's (ReleaseLibrariesTest checks Maven exports
   * them). helm-java's platform jar is replaced by {@code platform}'s.
   */
  static List<Library> needed(JsonNode tree, String platform) {
    List<Node> nodes = new ArrayList<>();
    for (JsonNode top : tree.path("children")) {
      collect(top, 1, key(library(top)), nodes);
    }
    Map<String, Node> winners = new LinkedHashMap<>();
    for (Node node : nodes) {
      winners.merge(node.library().key(), node, (first, later) -> later.depth() < first.depth() ? later : first);
    }
    return winners.values().stream().filter(n -> ROOTS.contains(n.top())).map(Node::library)
        .map(l -> isHelmPlatform(l) ? new Library(l.groupId(), platform, l.classifier(), l.type(), l.version()) : l)
        .toList();
  }

  private static void collect(JsonNode json, int depth, String top, List<Node> into) {
    into.add(new Node(library(json), depth, top));
    for (JsonNode child : json.path("children")) {
      collect(child, depth + 1, top, into);
    }
  }

  static Library library(JsonNode json) {
    return new Library(json.path("groupId").asText(), json.path("artifactId").asText(),
        json.path("classifier").asText(""), json.path("type").asText("jar"), json.path("version").asText());
  }

  private static String key(Library library) {
    return library.groupId() + ":" + library.artifactId();
  }

  static boolean isHelmPlatform(Library library) {
    return HELM_JAVA_GROUP.equals(library.groupId()) && HELM_PLATFORMS.contains(library.artifactId());
  }

  /**
   * The artifactId of helm-java's native library for this machine, as the OS profiles of helm-java's pom choose it.
   */
  static String helmPlatform(String osName, String osArch) {
    String os = osName.toLowerCase(Locale.ROOT);
    String arch = switch (osArch.toLowerCase(Locale.ROOT)) {
      case "amd64", "x86_64" -> "amd64";
      case "arm64", "aarch64" -> "arm64";
      default -> osArch;
    };
    String family = os.contains("mac") || os.contains("darwin") ? "darwin" : os.contains("windows") ? "windows" : "linux";
    String platform = family + "-" + arch;
    if (!HELM_PLATFORMS.contains(platform)) {
      throw new DataHubException("helm-java has no native library for " + osName + "/" + osArch + " (it ships "
          + HELM_PLATFORMS.stream().sorted().collect(Collectors.joining(", ")) + ") — run the release goals on one"
          + " of those platforms");
    }
    return platform;
  }

  /**
   * Appends the libraries to {@code realm} unless it has them. {@code inRealm} are the artifacts Maven put there
   * (a user's {@code <plugin><dependencies>} included): those are not added again. {@code tree} is read only when
   * the realm lacks them.
   */
  static void addTo(ClassRealm realm, Collection<org.apache.maven.artifact.Artifact> inRealm, RepositorySystem system,
      RepositorySystemSession session, List<RemoteRepository> repositories, Supplier<JsonNode> tree,
      org.apache.maven.plugin.logging.Log log) {
    synchronized (ADDED) {
      if (ADDED.contains(realm)) {
        return;
      }
      Set<String> present = inRealm.stream().map(a -> a.getGroupId() + ":" + a.getArtifactId()
          + (a.getClassifier() == null || a.getClassifier().isEmpty() ? "" : ":" + a.getClassifier()))
          .collect(Collectors.toSet());
      List<Library> missing = needed(tree.get(), helmPlatform(System.getProperty("os.name"), System.getProperty("os.arch")))
          .stream().filter(l -> !present.contains(l.key())).toList();
      log.debug("Resolving " + missing.size() + " jars of helm-java and the Kubernetes client for the plugin realm");
      for (ArtifactResult result : resolve(missing, system, session, repositories)) {
        try {
          realm.addURL(result.getArtifact().getFile().toURI().toURL());
        } catch (MalformedURLException e) {
          throw new IllegalStateException(e);
        }
      }
      ADDED.add(realm);
      log.debug("Added " + missing.size() + " jars of helm-java and the Kubernetes client to the plugin realm "
          + realm.getId());
    }
  }

  private static List<ArtifactResult> resolve(List<Library> libraries, RepositorySystem system,
      RepositorySystemSession session, List<RemoteRepository> repositories) {
    List<ArtifactRequest> requests = libraries.stream()
        .map(l -> new ArtifactRequest(l.artifact(), repositories, "datahub-release-libraries")).toList();
    try {
      return system.resolveArtifacts(session, requests);
    } catch (ArtifactResolutionException e) {
      List<String> unresolved = e.getResults().stream().filter(r -> !r.isResolved())
          .map(r -> r.getRequest().getArtifact().toString()).toList();
      String local = session.getLocalRepository().getBasedir().toString();
      String which = unresolved.isEmpty() ? e.getMessage()
          : unresolved.get(0) + (unresolved.size() > 1 ? " and " + (unresolved.size() - 1) + " more" : "");
      if (session.isOffline()) {
        throw new DataHubException("helm-java and the Kubernetes client are not all in the local repository " + local
            + " and Maven runs offline (-o): missing " + which + " — run `mvn datahub:validate` once without -o"
            + " (it changes nothing remote and fetches the " + libraries.size() + " jars), then go offline again");
      }
      throw new DataHubException("cannot resolve helm-java and the Kubernetes client from the plugin repositories "
          + repositories.stream().map(RemoteRepository::getId).toList() + ": " + which + " ("
          + firstLine(e.getMessage()) + ") — check the <pluginRepositories> and mirrors in settings.xml");
    }
  }

  /** Packages (as class-file paths) that only the release libraries bring into the realm. */
  private static final List<String> THEIR_PACKAGES = List.of("io/fabric8/", "com/marcnuri/helm/", "io/vertx/",
      "io/netty/", "com/sun/jna/", "com/fasterxml/jackson/dataformat/yaml/", "org/yaml/snakeyaml/", "org/snakeyaml/");

  /** Whether the class a {@link NoClassDefFoundError} names would come from the release libraries. */
  static boolean isTheirs(NoClassDefFoundError e) {
    String name = String.valueOf(e.getMessage()).replace('.', '/');
    return THEIR_PACKAGES.stream().anyMatch(name::contains);
  }

  private static String firstLine(String message) {
    return message == null ? "" : message.lines().findFirst().orElse("");
  }
}
