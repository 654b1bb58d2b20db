pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Facet

// A picture of a message, larger: fitted to the window, with a button that
// opens it in the system's image viewer. Escape or Close closes it.
Popup {
    id: viewer
    required property Theme theme
    property url source
    property string fileName

    // One call per click on a thumbnail (MessageBubble.showImage).
    function show(pictureSource, name) {
        source = pictureSource
        fileName = name
        open()
    }

    modal: true
    focus: true
    padding: theme.spacing
    closePolicy: Popup.CloseOnEscape | Popup.CloseOnPressOutside
    background: Rectangle {
        color: viewer.theme.surface
        radius: viewer.theme.radius
    }

    ColumnLayout {
        anchors.fill: parent
        Accessible.role: Accessible.Dialog
        Accessible.name: qsTr("Picture %1").arg(viewer.fileName)
        spacing: viewer.theme.spacing / 2
        RowLayout {
            Layout.fillWidth: true
            Label {
                Layout.fillWidth: true
                text: viewer.fileName
                elide: Text.ElideMiddle
                color: viewer.theme.text
            }
            Button {
                objectName: "openPictureExternally"
                text: qsTr("Open in image viewer")
                enabled: picture.status === Image.Ready
                onClicked: Qt.openUrlExternally(viewer.source)
                Accessible.name: text
            }
            Button {
                text: qsTr("Close")
                onClicked: viewer.close()
                Accessible.name: qsTr("Close the picture")
            }
        }
        Image {
            id: picture
            Layout.fillWidth: true
            Layout.fillHeight: true
            source: viewer.opened ? viewer.source : ""
            sourceSize.width: Math.max(1, width)
            sourceSize.height: Math.max(1, height)
            fillMode: Image.PreserveAspectFit
            asynchronous: true
            Accessible.role: Accessible.Graphic
            Accessible.name: viewer.fileName
            Label {
                anchors.centerIn: parent
                visible: picture.status === Image.Error
                text: qsTr("This picture is missing or damaged.")
                color: viewer.theme.mutedText
            }
        }
    }
}
