package dev.lifeboat.ui.common;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.StringProperty;
import javafx.geometry.Insets;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TextField;
import javafx.scene.control.TableView;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Label;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;

import java.util.List;
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

    /**
     * Decorates {@code field} while {@code problem} finds something wrong with its text (null: nothing), with
     * the problem as the decoration's tooltip (ControlsFX {@code ValidationSupport}). An empty field is not
     * decorated: the wizard's Next stays off until it is filled.
     */
    public static void check(javafx.scene.control.TextInputControl field, java.util.function.Function<String, String> problem) {
        org.controlsfx.validation.ValidationSupport support = new org.controlsfx.validation.ValidationSupport();
        support.registerValidator(field, false, (javafx.scene.control.Control c, String text) -> {
            String why = text == null || text.isBlank() ? null : problem.apply(text);
            return org.controlsfx.validation.ValidationResult.fromErrorIf(c, why == null ? "" : why, why != null);
        });
        field.getProperties().put(org.controlsfx.validation.ValidationSupport.class, support);
    }

    /** The problems the decoration of {@code field} shows now (none when it has no check). */
    public static List<String> problems(javafx.scene.control.Control field) {
        Object s = field.getProperties().get(org.controlsfx.validation.ValidationSupport.class);
        if (!(s instanceof org.controlsfx.validation.ValidationSupport support) || support.getValidationResult() == null) {
            return List.of();
        }
        return support.getValidationResult().getErrors().stream().filter(m -> m.getTarget() == field)
                .map(org.controlsfx.validation.ValidationMessage::getText).toList();
    }

    /** A text field with this id, two-way bound to {@code value}. */
    public static TextField field(String id, StringProperty value) {
        TextField f = new TextField();
        f.setId(id);
        f.textProperty().bindBidirectional(value);
        return f;
    }

    /** A radio button with this id (see {@link #either} for a yes/no pair). */
    public static RadioButton radio(String id, String text) {
        RadioButton r = new RadioButton(text);
        r.setId(id);
        return r;
    }

    public static Label hint(String text) {
        Label l = new Label(text);
        l.setWrapText(true);
        return l;
    }
}
