pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import Facet

// "Remote servers…": the saved OpenAI-compatible servers, each with Edit…
// (the add dialog, filled in) and Remove (after a confirmation: the server
// and its key in the keyring go; a chat using it falls back to "No model").
// Rows are Row/Column, not RowLayout: on Qt 6.4 a RowLayout made while the
// dialog is hidden keeps zero widths.
Dialog {
    id: dialog
    required property RemoteServers servers
    required property Theme theme
    signal editServer(string serverId, string name, string baseUrl, bool allowInsecure)
    signal addServer()
    title: qsTr("Remote servers")
    modal: true
    // Flat: a bordered surface on a scrim (the same under every renderer).
    Overlay.modal: Rectangle { color: dialog.theme.scrim }
    background: Rectangle { color: dialog.theme.surface; radius: dialog.theme.radius; border.color: dialog.theme.border }
    width: Math.min(parent ? parent.width * 0.9 : 600, 600)
    height: Math.min(parent ? parent.height * 0.8 : 480, 480)

    ListView {
        id: list
        objectName: "remoteServerList"
        anchors.fill: parent
        clip: true
        spacing: dialog.theme.spacing / 2
        model: dialog.servers.servers
        keyNavigationEnabled: true
        ScrollBar.vertical: ScrollBar {}
        Accessible.role: Accessible.List
        Accessible.name: qsTr("Saved remote servers")

        delegate: Rectangle {
            id: row
            required property string serverId
            required property string name
            required property string baseUrl
            required property bool allowInsecure
            required property int modelCount
            required property string keyLocation
            width: list.width - 12
            height: Math.max(facts.implicitHeight, buttons.implicitHeight) + dialog.theme.spacing
            radius: dialog.theme.radius
            color: dialog.theme.surface
            Accessible.role: Accessible.ListItem
            Accessible.name: row.name

            Column {
                id: facts
                anchors.left: parent.left
                anchors.right: buttons.left
                anchors.margins: dialog.theme.spacing / 2
                anchors.verticalCenter: parent.verticalCenter
                spacing: 2
                Label {
                    width: parent.width
                    text: row.name
                    font.bold: true
                    color: dialog.theme.text
                    elide: Text.ElideRight
                }
                Label {
                    width: parent.width
                    text: qsTr("%1 · %n model(s)", "", row.modelCount).arg(row.baseUrl)
                    color: dialog.theme.mutedText
                    elide: Text.ElideMiddle
                }
                Label {
                    width: parent.width
                    text: row.keyLocation === "" ? qsTr("No API key") : qsTr("Key in %1").arg(row.keyLocation)
                    color: dialog.theme.mutedText
                    elide: Text.ElideMiddle
                }
            }
            Row {
                id: buttons
                anchors.right: parent.right
                anchors.rightMargin: dialog.theme.spacing / 2
                anchors.verticalCenter: parent.verticalCenter
                spacing: dialog.theme.spacing / 2
                Button {
                    objectName: "editServer"
                    text: qsTr("Edit…")
                    onClicked: dialog.editServer(row.serverId, row.name, row.baseUrl, row.allowInsecure)
                    Accessible.name: qsTr("Edit %1").arg(row.name)
                }
                Button {
                    objectName: "removeServer"
                    text: qsTr("Remove")
                    onClicked: {
                        confirmRemove.serverId = row.serverId
                        confirmRemove.name = row.name
                        confirmRemove.open()
                    }
                    Accessible.name: qsTr("Remove %1").arg(row.name)
                }
            }
        }
    }

    Label {
        objectName: "noRemoteServers"
        anchors.centerIn: parent
        width: parent.width
        visible: list.count === 0
        horizontalAlignment: Text.AlignHCenter
        wrapMode: Text.Wrap
        text: qsTr("No remote servers yet. Add one to chat with its models.")
        color: dialog.theme.mutedText
    }

    // One confirmation for every row: a row may go while it is open.
    Dialog {
        id: confirmRemove
        objectName: "confirmRemoveServer"
        property string serverId
        property string name
        anchors.centerIn: parent
        width: Math.min(dialog.width, 460)
        modal: true
        // Flat: a bordered surface on a scrim (the same under every renderer).
        Overlay.modal: Rectangle { color: dialog.theme.scrim }
        background: Rectangle { color: dialog.theme.surface; radius: dialog.theme.radius; border.color: dialog.theme.border }
        title: qsTr("Remove this server?")
        standardButtons: Dialog.Yes | Dialog.No
        Label {
            width: confirmRemove.availableWidth
            text: qsTr("%1 and its saved API key will be removed. A chat using one of its models goes back to no model.")
                  .arg(confirmRemove.name)
            wrapMode: Text.Wrap
        }
        onAccepted: dialog.servers.removeServer(serverId)
    }

    footer: DialogButtonBox {
        Button {
            objectName: "addServer"
            text: qsTr("Add server…")
            DialogButtonBox.buttonRole: DialogButtonBox.ActionRole
            onClicked: dialog.addServer()
            Accessible.name: qsTr("Add a remote server")
        }
        Button {
            text: qsTr("Close")
            DialogButtonBox.buttonRole: DialogButtonBox.RejectRole
            onClicked: dialog.close()
            Accessible.name: text
        }
    }
}
