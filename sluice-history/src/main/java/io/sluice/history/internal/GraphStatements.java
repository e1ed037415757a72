package io.sluice.history.internal;

import io.sluice.history.RunGraph;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;

/** Writes a run's graph by family (schema V7): a row per family and one per link between two. */
final class GraphStatements {

  private static final String INSERT_FAMILY = "INSERT INTO run_families (run_id, family, position, tasks)"
      + " VALUES (?, ?, ?, ?)";
  private static final String INSERT_LINK = "INSERT INTO family_links (run_id, family, required_family, links)"
      + " VALUES (?, ?, ?, ?)";

  private GraphStatements() {}

  static void insert(Connection connection, String runId, RunGraph graph) throws SQLException {
    // A graph told twice (a retried batch, a second build) replaces the first.
    for (String table : new String[] {"run_families", "family_links"}) {
      try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + table + " WHERE run_id = ?")) {
        delete.setString(1, runId);
        delete.executeUpdate();
      }
    }
    try (PreparedStatement insert = connection.prepareStatement(INSERT_FAMILY)) {
      int position = 0;
      for (Map.Entry<String, Integer> family : graph.families().entrySet()) {
        insert.setString(1, runId);
        insert.setString(2, family.getKey());
        insert.setInt(3, position++);
        insert.setInt(4, family.getValue());
        insert.addBatch();
      }
      insert.executeBatch();
    }
    try (PreparedStatement insert = connection.prepareStatement(INSERT_LINK)) {
      for (RunGraph.Link link : graph.links()) {
        insert.setString(1, runId);
        insert.setString(2, link.family());
        insert.setString(3, link.requires());
        insert.setInt(4, link.count());
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }
}
