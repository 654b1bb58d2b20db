pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Facet

// "Add remote server…": an OpenAI-compatible server (Facet's own, llama.cpp,
// Ollama, vLLM). Test connection lists its models; Save keeps the server in
// remote-servers.json and the key in the system keyring (or a private file
// when there is none, which the dialog says). Edit mode (startEdit, from
// "Remote servers…") fills in a saved server; its key field stays empty and
// the saved key is kept (and used by Test connection) unless a new one is typed.
Dialog {
    id: dialog
    required property RemoteServers servers
    required property Theme theme
    title: dialog.editId === "" ? qsTr("Add remote server") : qsTr("Edit remote server")
    modal: true
    // Flat: a bordered surface on a scrim (the same under every renderer).
    Overlay.modal: Rectangle { color: dialog.theme.scrim }
    background: Rectangle { color: dialog.theme.surface; radius: dialog.theme.radius; border.color: dialog.theme.border }
    width: Math.min(parent ? parent.width * 0.9 : 560, 560)

    readonly property bool insecure: dialog.servers.needsInsecureConfirmation(urlField.text)
    readonly property string urlError: urlField.text.trim() === "" ? "" : dialog.servers.urlError(urlField.text)
    property bool saved: false
    property string editId: ""  // the saved server being edited; "" adds one

    // Before open(): a new server (the fields are cleared after an edit) ...
    function startAdd() {
        if (dialog.editId !== "") {
            dialog.editId = ""
            nameField.text = ""
            urlField.text = ""
            insecureBox.checked = false
        }
        keyField.text = ""
        dialog.servers.clearTest()
    }
    // ... or a saved one, filled in.
    function startEdit(serverId, name, baseUrl, allowInsecure) {
        dialog.editId = serverId
        nameField.text = name
        urlField.text = baseUrl
        keyField.text = ""
        insecureBox.checked = allowInsecure
        dialog.servers.clearTest()
    }

    onOpened: {
        saved = false
        nameField.forceActiveFocus()
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: dialog.theme.spacing / 2

        Label { text: qsTr("Name") }
        TextField {
            id: nameField
            objectName: "remoteName"
            Layout.fillWidth: true
            placeholderText: qsTr("e.g. Lab vLLM")
            Accessible.name: qsTr("Server name")
        }
        Label { text: qsTr("Base URL (with or without /v1)") }
        TextField {
            id: urlField
            objectName: "remoteUrl"
            Layout.fillWidth: true
            placeholderText: qsTr("http://localhost:8080")
            Accessible.name: qsTr("Base URL")
        }
        Label {
            Layout.fillWidth: true
            visible: text !== ""
            text: dialog.urlError !== "" ? dialog.urlError
                  : urlField.text.trim() !== "" ? qsTr("Requests go to %1/v1/…").arg(dialog.servers.normalizedUrl(urlField.text)) : ""
            color: dialog.urlError !== "" ? dialog.theme.error : dialog.theme.mutedText
            wrapMode: Text.Wrap
        }
        Label { text: dialog.editId === "" ? qsTr("API key (optional)") : qsTr("New API key (optional)") }
        TextField {
            id: keyField
            objectName: "remoteKey"
            Layout.fillWidth: true
            echoMode: TextInput.Password
            placeholderText: dialog.editId === "" ? qsTr("kept in the system keyring, never in settings files")
                                                  : qsTr("leave empty to keep the saved key")
            Accessible.name: qsTr("API key")
        }
        CheckBox {
            id: insecureBox
            objectName: "remoteInsecure"
            Layout.fillWidth: true
            visible: dialog.insecure
            text: qsTr("Send the key and my messages unencrypted over plain http to this computer")
            Accessible.name: text
        }
        RowLayout {
            spacing: dialog.theme.spacing
            Button {
                objectName: "remoteTest"
                text: qsTr("Test connection")
                enabled: !dialog.servers.testing && urlField.text.trim() !== "" && dialog.urlError === ""
                onClicked: dialog.servers.testConnection(urlField.text, keyField.text, insecureBox.checked, dialog.editId)
                Accessible.name: text
            }
            BusyIndicator {
                running: dialog.servers.testing
                visible: running
                Layout.preferredHeight: 24
                Layout.preferredWidth: 24
                Accessible.name: qsTr("Testing the connection")
            }
        }
        Label {
            Layout.fillWidth: true
            visible: text !== ""
            text: dialog.servers.testError !== "" ? dialog.servers.testError
                  : dialog.servers.testModels.length > 0 ? qsTr("Connected: %n model(s)", "", dialog.servers.testModels.length) : ""
            color: dialog.servers.testError !== "" ? dialog.theme.error : dialog.theme.text
            wrapMode: Text.Wrap
            Accessible.role: Accessible.AlertMessage
            Accessible.name: text
        }
        ListView {
            objectName: "remoteModels"
            Layout.fillWidth: true
            Layout.preferredHeight: Math.min(contentHeight, 160)
            clip: true
            model: dialog.servers.testModels
            delegate: Label {
                required property string modelData
                text: modelData
                Accessible.role: Accessible.ListItem
                Accessible.name: modelData
            }
            Accessible.role: Accessible.List
            Accessible.name: qsTr("Models on the server")
        }
        Label {
            Layout.fillWidth: true
            visible: dialog.saved && text !== ""
            text: dialog.servers.saveError !== "" ? dialog.servers.saveError
                  : dialog.servers.keyLocation === "" ? qsTr("Saved (no API key).")
                  : dialog.servers.keyInFile ? qsTr("Saved. No system keyring answered, so the key is in %1, readable only by you.").arg(dialog.servers.keyLocation)
                  : qsTr("Saved. The key is in %1.").arg(dialog.servers.keyLocation)
            color: dialog.servers.saveError !== "" || dialog.servers.keyInFile ? dialog.theme.error : dialog.theme.text
            wrapMode: Text.Wrap
            Accessible.role: Accessible.AlertMessage
            Accessible.name: text
        }
    }

    footer: DialogButtonBox {
        Button {
            objectName: "remoteSave"
            text: qsTr("Save")
            enabled: urlField.text.trim() !== "" && dialog.urlError === "" && (!dialog.insecure || insecureBox.checked)
            DialogButtonBox.buttonRole: DialogButtonBox.ApplyRole
            onClicked: {
                // Once saved, the dialog edits that server: a second Save updates it.
                if (dialog.editId === "") {
                    if (dialog.servers.save(nameField.text, urlField.text, keyField.text, insecureBox.checked))
                        dialog.editId = dialog.servers.lastSavedId
                } else
                    dialog.servers.updateServer(dialog.editId, nameField.text, urlField.text, keyField.text, insecureBox.checked)
                dialog.saved = true
            }
            Accessible.name: text
        }
        Button {
            text: qsTr("Close")
            DialogButtonBox.buttonRole: DialogButtonBox.RejectRole
            onClicked: dialog.close()
            Accessible.name: text
        }
    }
}
