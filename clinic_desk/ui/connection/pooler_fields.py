"""The connection dialog's PgBouncer fields: through PgBouncer, and where live updates listen.

PgBouncer in transaction mode cannot pass the server's notifications on, so a desk behind
it listens straight to PostgreSQL when told where, and otherwise looks for changes twice a
second through its own connection (README: "A clinic group on one server").
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QCheckBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QSpinBox, QWidget

from clinic_desk.services.clinic import ConnectionSettings

HINT = (
    "PgBouncer cannot pass live updates on. Give PostgreSQL's own address for them, or leave "
    "it empty: this desk then looks for changes twice a second."
)


class PoolerFields:
    """The check box and the live-updates address, added to the server form as rows."""

    def __init__(self, parent: QWidget, form: QFormLayout, current: ConnectionSettings) -> None:
        self.check = QCheckBox("Through &PgBouncer (transaction pooling)", parent)
        self.check.setObjectName("pgbouncerCheck")
        self.check.setChecked(current.pgbouncer)
        self.host_edit = QLineEdit(current.listen_host, parent)
        self.host_edit.setObjectName("listenHostEdit")
        self.host_edit.setAccessibleName("Live updates from PostgreSQL at")
        self.host_edit.setPlaceholderText("PostgreSQL's own address (optional)")
        self.port_spin = QSpinBox(parent)
        self.port_spin.setObjectName("listenPortSpin")
        self.port_spin.setRange(1, 65535)
        self.port_spin.setValue(current.listen_port)
        self.port_spin.setAccessibleName("Live updates port")
        self.hint = QLabel(HINT, parent)
        self.hint.setObjectName("pgbouncerHint")
        self.hint.setWordWrap(True)
        self.hint.setProperty("role", "muted")
        row = QHBoxLayout()
        row.addWidget(self.host_edit, 1)
        row.addWidget(QLabel("port", parent))
        row.addWidget(self.port_spin)
        label = QLabel("Live updates &from", parent)
        label.setBuddy(self.host_edit)
        form.addRow("", self.check)
        form.addRow(label, row)
        form.addRow("", self.hint)
        self.check.toggled.connect(self._follow_check)
        self._follow_check()

    def applied(self, settings: ConnectionSettings) -> ConnectionSettings:
        """``settings`` with the form's PgBouncer fields (not yet checked)."""
        return replace(
            settings,
            pgbouncer=self.check.isChecked(),
            listen_host=self.host_edit.text(),
            listen_port=self.port_spin.value(),
        )

    def widget_for(self, field: str) -> QWidget | None:
        """The field a ValidationError names, to put the cursor in."""
        fields = {"pgbouncer": self.check, "listen_host": self.host_edit, "listen_port": self.port_spin}
        return fields.get(field)

    def _follow_check(self, *_args: object) -> None:
        on = self.check.isChecked()
        for widget in (self.host_edit, self.port_spin, self.hint):
            widget.setEnabled(on)
