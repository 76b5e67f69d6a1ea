package dev.lifeboat.ui.common;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.geometry.Insets;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Label;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;

import java.util.function.Function;

/** The building blocks of the console's forms and tables: a label/field grid, a wrapped explanation, a column. */
public final class Forms {
    private Forms() {
    }

    /** Two columns: labels, then fields that take the width. */
    public static GridPane grid() {
        GridPane grid = new GridPane();
        grid.setHgap(10);
        grid.setVgap(10);
        grid.setPadding(new Insets(4, 0, 0, 0));
        ColumnConstraints field = new ColumnConstraints();
        field.setHgrow(Priority.ALWAYS);
        grid.getColumnConstraints().addAll(new ColumnConstraints(), field);
        return grid;
    }

    /** A read-only table column showing {@code value} of each row. */
    public static <T> void column(TableView<T> table, String title, Function<T, Object> value) {
        TableColumn<T, Object> c = new TableColumn<>(title);
        c.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(value.apply(cell.getValue())));
        table.getColumns().add(c);
    }

    /** Two radio buttons for one yes/no choice: {@code yes} is selected while {@code value} is true. */
    public static void either(BooleanProperty value, RadioButton yes, RadioButton no) {
        ToggleGroup g = new ToggleGroup();
        yes.setToggleGroup(g);
        no.setToggleGroup(g);
        yes.setSelected(value.get());
        no.setSelected(!value.get());
        yes.setOnAction(e -> value.set(true));
        no.setOnAction(e -> value.set(false));
    }

    public static Label hint(String text) {
        Label l = new Label(text);
        l.setWrapText(true);
        return l;
    }
}
