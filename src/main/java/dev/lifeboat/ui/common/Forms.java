package dev.lifeboat.ui.common;

import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;

/** The two building blocks of every wizard form: a label/field grid and a wrapped explanation. */
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

    public static Label hint(String text) {
        Label l = new Label(text);
        l.setWrapText(true);
        return l;
    }
}
