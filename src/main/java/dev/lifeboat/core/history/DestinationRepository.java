package dev.lifeboat.core.history;

import dev.lifeboat.core.LifeboatException;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** The registered destinations: where points are written, with which key, and how they are protected. */
public final class DestinationRepository {
    private static final String COLUMNS = "name, kind, location, key_file, key_id, append_only, owner";
    private final Sql sql;

    DestinationRepository(Sql sql) {
        this.sql = sql;
    }

    public void add(DestinationRecord d) {
        sql.inTransaction(() -> {
            if (find(d.name()).isPresent()) {
                throw new LifeboatException("Destination " + d.name() + " already exists");
            }
            sql.update("INSERT INTO destination(name, kind, location, key_file, key_id, created_at, append_only, owner) "
                            + "VALUES (?,?,?,?,?,?,?,?)",
                    d.name(), d.kind(), d.location(), d.keyFile(), d.keyId(), sql.now(), d.appendOnly(), d.owner());
            return null;
        });
    }

    public Optional<DestinationRecord> find(String name) {
        return sql.query("SELECT " + COLUMNS + " FROM destination WHERE name = ?", DestinationRepository::row, name)
                .stream().findFirst();
    }

    public DestinationRecord require(String name) {
        return find(name).orElseThrow(() -> new LifeboatException("Unknown destination '" + name
                + "'. Add it with 'lifeboat dest add " + name + " --dir PATH --key-file FILE'"));
    }

    public List<DestinationRecord> all() {
        return sql.query("SELECT " + COLUMNS + " FROM destination ORDER BY name", DestinationRepository::row);
    }

    private static DestinationRecord row(ResultSet rs) throws SQLException {
        return new DestinationRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getBoolean(6), rs.getString(7));
    }
}
