pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts
import Facet

ApplicationWindow {
    id: window
    width: 1000
    height: 720
    visible: true
    title: controller.modelPath === "" ? qsTr("Facet") : qsTr("Facet — %1").arg(controller.modelPath)
    color: theme.background

    Theme {
        id: theme
    }

    ModelInfoController {
        id: controller
        Component.onCompleted: if (initialModelPath !== "") openModel(initialModelPath)
    }

    FileDialog {
        id: openDialog
        title: qsTr("Open a Gemma 4 model (.gguf)")
        nameFilters: [qsTr("GGUF models (*.gguf)"), qsTr("All files (*)")]
        onAccepted: controller.openModelUrl(selectedFile)
    }

    FolderDialog {
        id: folderDialog
        title: qsTr("Open a Hugging Face model folder")
        onAccepted: controller.openModelUrl(selectedFolder)
    }

    Shortcut {
        sequence: StandardKey.Open
        onActivated: openDialog.open()
    }

    header: ToolBar {
        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: theme.spacing
            anchors.rightMargin: theme.spacing
            spacing: theme.spacing
            Label {
                text: qsTr("Facet")
                font.pixelSize: theme.titleSize
                font.bold: true
            }
            Item { Layout.fillWidth: true }
            BusyIndicator {
                running: controller.busy
                visible: controller.busy
                Accessible.name: qsTr("Loading model")
            }
            Button {
                text: qsTr("Open model file…")
                onClicked: openDialog.open()
                Accessible.name: text
                ToolTip.visible: hovered
                ToolTip.text: qsTr("Open a .gguf file (Ctrl+O)")
            }
            Button {
                text: qsTr("Open model folder…")
                onClicked: folderDialog.open()
                Accessible.name: text
            }
        }
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: theme.spacing
        spacing: theme.spacing

        Rectangle {
            Layout.fillWidth: true
            visible: controller.error !== ""
            color: theme.errorBackground
            radius: theme.radius
            implicitHeight: errorText.implicitHeight + 2 * theme.spacing
            Label {
                id: errorText
                anchors.fill: parent
                anchors.margins: theme.spacing
                text: controller.error
                color: theme.error
                wrapMode: Text.Wrap
                Accessible.role: Accessible.AlertMessage
                Accessible.name: text
            }
        }

        ColumnLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            visible: controller.modelPath === ""
            spacing: theme.spacing
            Item { Layout.fillHeight: true }
            Label {
                Layout.alignment: Qt.AlignHCenter
                text: qsTr("Welcome to Facet")
                font.pixelSize: theme.titleSize
                color: theme.text
            }
            Label {
                Layout.alignment: Qt.AlignHCenter
                Layout.maximumWidth: 560
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.Wrap
                color: theme.mutedText
                text: qsTr("Facet runs Google's Gemma 4 models on your own computer. Open a Gemma 4 .gguf file or a Hugging Face model folder to see what it is and what it needs.")
            }
            Item { Layout.fillHeight: true }
        }

        ModelPanel {
            Layout.fillWidth: true
            Layout.fillHeight: true
            visible: controller.modelPath !== ""
            controller: controller
            theme: theme
        }
    }
}
