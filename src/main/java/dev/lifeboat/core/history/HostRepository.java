package dev.lifeboat.core.history;

import dev.lifeboat.core.LifeboatException;
import dev.lifeboat.core.model.Host;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** The enrolled hosts: how each is reached, its pinned host key, whether it is production. */
public final class HostRepository {
    private static final String COLUMNS = "name, endpoint, production, identity_file, host_key";
    private final Sql sql;

    HostRepository(Sql sql) {
        this.sql = sql;
    }

    public void add(Host host) {
        sql.inTransaction(() -> {
            if (find(host.name()).isPresent()) {
                throw new LifeboatException("Host " + host.name() + " already exists");
            }
            sql.update("INSERT INTO host(name, endpoint, production, identity_file, host_key, created_at) VALUES (?,?,?,?,?,?)",
                    host.name(), host.endpoint(), host.production(), host.identityFile(), host.hostKey(), sql.now());
            return null;
        });
    }

    public Optional<Host> find(String name) {
        return sql.query("SELECT " + COLUMNS + " FROM host WHERE name = ?", HostRepository::row, name).stream().findFirst();
    }

    public Host require(String name) {
        return find(name).orElseThrow(() -> new LifeboatException("Unknown host '" + name
                + "'. Add it with 'lifeboat host add " + name + " --docker unix:///var/run/docker.sock'"));
    }

    public List<Host> all() {
        return sql.query("SELECT " + COLUMNS + " FROM host ORDER BY name", HostRepository::row);
    }

    private static Host row(ResultSet rs) throws SQLException {
        return new Host(rs.getString(1), rs.getString(2), rs.getBoolean(3), rs.getString(4), rs.getString(5));
    }
}
