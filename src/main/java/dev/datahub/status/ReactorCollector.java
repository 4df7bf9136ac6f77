package dev.datahub.status;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;

/**
 * Gathers one value per hub of a build and hands the whole list to the hub that completes it: a reactor-wide report is
 * written once, by whichever hub finishes last — under {@code mvn -T} too — without a goal at the aggregator, which
 * Maven runs before its modules. A build is identified by an object the build shares (Maven's execution request);
 * builds forgotten by the garbage collector take their partial lists with them.
 */
public final class ReactorCollector {

  private static final Map<Object, Map<String, Map<String, Object>>> BUILDS = new WeakHashMap<>();

  private ReactorCollector() {}

  /**
   * Adds {@code value} for {@code hub}; returns every hub's value in {@code expectedHubs} order when this completed
   * the list (exactly once per build and report), empty otherwise.
   *
   * @param report which report the value is for (status, change summary), so two in one build do not mix
   */
  @SuppressWarnings("unchecked")
  public static synchronized <T> Optional<List<T>> offer(Object build, String report, List<String> expectedHubs,
      String hub, T value) {
    Map<String, Map<String, Object>> reports = BUILDS.computeIfAbsent(build, b -> new LinkedHashMap<>());
    Map<String, Object> values = reports.computeIfAbsent(report, r -> new LinkedHashMap<>());
    values.put(hub, value);
    if (!values.keySet().containsAll(expectedHubs)) {
      return Optional.empty();
    }
    reports.remove(report);
    List<T> ordered = new ArrayList<>();
    expectedHubs.forEach(h -> ordered.add((T) values.remove(h)));
    values.values().forEach(v -> ordered.add((T) v)); // a hub the reactor did not list still gets its line
    return Optional.of(ordered);
  }
}
