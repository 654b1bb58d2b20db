pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Facet

// Facts about the opened model: what `facet-cli info` prints.
Pane {
    id: panel
    required property ModelInfoController controller

    background: Rectangle { color: Theme.surface; radius: Theme.radius }

    ScrollView {
        id: scroll
        anchors.fill: parent
        contentWidth: availableWidth

        ColumnLayout {
            width: scroll.availableWidth
            spacing: Theme.spacing / 2

            Label {
                text: qsTr("Model")
                font.pixelSize: Theme.titleSize
                color: Theme.text
                Accessible.role: Accessible.Heading
                Accessible.name: text
            }

            Repeater {
                model: panel.controller.facts
                delegate: RowLayout {
                    id: row
                    required property string key
                    required property string value
                    Layout.fillWidth: true
                    spacing: Theme.spacing
                    Label {
                        text: row.key
                        color: Theme.mutedText
                        Layout.preferredWidth: 240
                        elide: Text.ElideRight
                    }
                    Label {
                        text: row.value
                        color: Theme.text
                        Layout.fillWidth: true
                        wrapMode: Text.WrapAnywhere
                        Accessible.name: row.key + ": " + row.value
                    }
                }
            }

            Label {
                Layout.topMargin: Theme.spacing
                text: qsTr("Layers")
                font.bold: true
                color: Theme.text
            }
            Label {
                Layout.fillWidth: true
                text: panel.controller.layersText
                font.family: Theme.monoFamily
                color: Theme.text
                Accessible.name: qsTr("Layers")
            }
        }
    }
}
